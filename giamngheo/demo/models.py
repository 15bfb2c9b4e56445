"""The record of a generated demo district: its presence makes `giamngheo demo` a no-op on the next run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoRun(models.Model):
    seed = models.IntegerField(_("hạt giống ngẫu nhiên"))
    district = models.CharField(_("mã huyện"), max_length=5)
    plan_checksum = models.CharField(_("mã kiểm tra kế hoạch (SHA-256)"), max_length=64)
    households = models.PositiveIntegerField(_("số hộ"), default=0)
    persons = models.PositiveIntegerField(_("số nhân khẩu"), default=0)
    events = models.PositiveIntegerField(_("số sự kiện đăng ký"), default=0)
    assessments = models.PositiveIntegerField(_("số phiếu rà soát"), default=0)
    seconds = models.FloatField(_("thời gian tạo (giây)"), default=0)
    created_at = models.DateTimeField(_("thời điểm tạo"))

    class Meta:
        verbose_name = _("lần tạo dữ liệu mẫu")
        verbose_name_plural = _("các lần tạo dữ liệu mẫu")
        constraints = [models.UniqueConstraint(fields=["district"], name="demo_run_one_per_district")]

    def __str__(self) -> str:
        return f"Dữ liệu mẫu {self.district} (hạt giống {self.seed})"
