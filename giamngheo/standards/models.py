"""The database's record of the poverty standards loaded from the data files.

The data files (`standards/data/*.toml`) are the source of truth; this table mirrors them so that reviews and
assessments can refer to a standard by foreign key and so that the exact file version used (its SHA-256) is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from giamngheo.engine.standard import Standard


class PovertyStandard(models.Model):
    code = models.CharField(_("mã chuẩn"), max_length=20, primary_key=True)
    name = models.CharField(_("tên"), max_length=200)
    instrument = models.CharField(_("văn bản"), max_length=120)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"))
    source_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chuẩn nghèo")
        verbose_name_plural = _("chuẩn nghèo")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def definition(self) -> Standard:
        from giamngheo.engine.standard import get_standard

        return get_standard(self.code)
