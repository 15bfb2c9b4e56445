"""Keep the database's mirror of the poverty standards (`PovertyStandard`) in step with the data files.

The TOML files in `settings.GIAMNGHEO_STANDARDS_DIR` are the source of truth; a row records each standard's
code, name, instrument, validity and the SHA-256 of the file version loaded. A standard whose file disappeared
keeps its row (reviews and assessments refer to it); nothing is ever deleted here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction

from giamngheo.engine.standard import Standard, load_standards
from giamngheo.standards.models import PovertyStandard

logger = logging.getLogger(__name__)


def _fields(standard: Standard) -> dict[str, object]:
    return {
        "name": standard.name_vi,
        "instrument": standard.instrument,
        "valid_from": standard.valid_from,
        "valid_to": standard.valid_to,
        "source_sha256": standard.source_sha256,
    }


@transaction.atomic
def sync_standards(*, data_dir: Path | None = None) -> list[PovertyStandard]:
    """Upsert one `PovertyStandard` per data file, in order of validity. Idempotent: a row whose values already
    match its file is not written again (its `loaded_at` keeps the time that file version was loaded)."""
    definitions = load_standards(Path(data_dir or settings.GIAMNGHEO_STANDARDS_DIR))
    existing = {
        row.code: row for row in PovertyStandard.objects.select_for_update().filter(code__in=definitions)
    }
    synced: list[PovertyStandard] = []
    for code, standard in sorted(definitions.items(), key=lambda item: (item[1].valid_from, item[0])):
        values = _fields(standard)
        row = existing.get(code)
        if row is None:
            row = PovertyStandard.objects.create(code=code, **values)
            logger.info("standard %s loaded (sha256 %s)", code, standard.source_sha256)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            logger.info("standard %s updated (sha256 %s)", code, standard.source_sha256)
        synced.append(row)
    return synced


def ensure_standard_row(standard: Standard) -> PovertyStandard:
    """The `PovertyStandard` row mirroring `standard`, created or brought up to date from the data files
    (`sync_standards`)."""
    row = PovertyStandard.objects.filter(code=standard.id).first()
    if row is not None and row.source_sha256 == standard.source_sha256:
        return row
    sync_standards()
    row = PovertyStandard.objects.filter(code=standard.id).first()
    if row is not None and row.source_sha256 == standard.source_sha256:
        return row
    # The standard came from another data folder than the one this app mirrors: upsert its own row.
    row, _created = PovertyStandard.objects.update_or_create(code=standard.id, defaults=_fields(standard))
    return row
