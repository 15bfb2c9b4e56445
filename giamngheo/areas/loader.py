"""Load the administrative units and the 2025 succession table into the database.

The data comes from the `vietnamadminunits` package (see `source.py` for the rule and the key resolution). Legacy
units are valid until 30/06/2025, new units from 01/07/2025 (domain.md §7). The load is a sync by natural key
(level, code, valid_from): it inserts what is missing, updates what differs and leaves everything else alone, so a
second run changes nothing. Units are never deleted here (households and reviews point at them); succession rows
that this loader wrote earlier and the package no longer lists are removed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.areas.models import (
    REFORM_DATE,
    AdminUnit,
    UnitLevel,
    UnitLoad,
    UnitSuccession,
    Village,
    valid_on_q,
)
from giamngheo.areas.reform import rehome_villages
from giamngheo.areas.source import SOURCE_PREFIX, UnitDataset, UnitKey, read_dataset
from giamngheo.areas.territory_cache import territory_changed
from giamngheo.lib.formatting import group_thousands

BATCH_SIZE = 2000


class Writer(Protocol):
    """Where progress lines go: a text stream or a management command's OutputWrapper."""

    def write(self, message: str, /) -> object: ...


@dataclass
class LoadReport:
    source: str = ""
    # What the database holds after the load, on the eve of the reform and on its first day.
    legacy_provinces: int = 0
    legacy_districts: int = 0
    legacy_communes: int = 0
    new_provinces: int = 0
    new_communes: int = 0
    successions_by_level: dict[str, int] = field(default_factory=dict)
    units_created: int = 0
    units_updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    successions_deleted: int = 0
    warnings: list[str] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def successions(self) -> int:
        return sum(self.successions_by_level.values())

    @property
    def changed(self) -> bool:
        return any(
            (
                self.units_created,
                self.units_updated,
                self.successions_created,
                self.successions_updated,
                self.successions_deleted,
            )
        )


def load_units(*, stdout: Writer | None = None, at: datetime | None = None) -> LoadReport:
    """Sync all units and successions from the installed package; `at` stamps the audit row (default: now)."""
    started = time.perf_counter()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    dataset = read_dataset(reform_date=REFORM_DATE)
    say(
        _("Đã đọc %(units)s đơn vị và %(rows)s dòng chuyển đổi từ %(source)s.")
        % {
            "units": group_thousands(len(dataset.units)),
            "rows": group_thousands(len(dataset.successions)),
            "source": dataset.source,
        }
    )
    report = LoadReport(source=dataset.source, warnings=list(dataset.warnings))
    with transaction.atomic():
        ids = _sync_units(dataset, report)
        _sync_successions(dataset, ids, report)
        # Villages recorded before the units of the reform were loaded now belong to the new communes.
        rehomed = rehome_villages(Village, UnitSuccession, AdminUnit)
        if rehomed:
            say(_("Đã chuyển %(count)s thôn sang xã mới sau sắp xếp đơn vị hành chính.") % {"count": rehomed})
        if report.changed:
            UnitLoad.objects.create(
                loaded_at=at or timezone.now(),
                source=dataset.source,
                units_created=report.units_created,
                units_updated=report.units_updated,
                successions_created=report.successions_created,
                successions_updated=report.successions_updated,
                successions_deleted=report.successions_deleted,
            )
    if report.changed or rehomed:
        territory_changed()
    if report.changed:
        _refresh_planner_statistics()
    _count(report)
    report.elapsed_seconds = time.perf_counter() - started
    return report


_UNIT_FIELDS = ("name", "unit_type", "parent_id", "valid_to", "source")


def _sync_units(dataset: UnitDataset, report: LoadReport) -> dict[UnitKey, int]:
    existing = {
        UnitKey(level, code, valid_from): (pk, (name, unit_type, parent_id, valid_to, source))
        for pk, level, code, valid_from, name, unit_type, parent_id, valid_to, source in (
            AdminUnit.objects.values_list("pk", "level", "code", "valid_from", *_UNIT_FIELDS)
        )
    }
    ids = {key: pk for key, (pk, _values) in existing.items()}
    # Parents are created before children: one pass per level, in the dataset's order.
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for record in dataset.units:
            if record.key.level != level:
                continue
            values = (
                record.name,
                record.unit_type,
                ids[record.parent] if record.parent else None,
                record.valid_to,
                dataset.source,
            )
            known = existing.get(record.key)
            if known is not None and known[1] == values:
                continue
            unit = AdminUnit(
                pk=known[0] if known else None,
                level=level,
                code=record.key.code,
                valid_from=record.key.valid_from,
                **dict(zip(_UNIT_FIELDS, values, strict=True)),
            )
            (to_update if known else to_create).append(unit)
        created = AdminUnit.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if any(unit.pk is None for unit in created):  # backends that cannot return ids from a bulk insert
            ids.update(_unit_ids(level))
        else:
            ids.update({UnitKey(u.level, u.code, u.valid_from): u.pk for u in created})
        AdminUnit.objects.bulk_update(to_update, fields=[*_UNIT_FIELDS], batch_size=BATCH_SIZE)
        report.units_created += len(to_create)
        report.units_updated += len(to_update)
    return ids


def _unit_ids(level: str) -> dict[UnitKey, int]:
    return {
        UnitKey(level, code, valid_from): pk
        for pk, code, valid_from in AdminUnit.objects.filter(level=level).values_list(
            "pk", "code", "valid_from"
        )
    }


def _sync_successions(dataset: UnitDataset, ids: dict[UnitKey, int], report: LoadReport) -> None:
    existing = {
        (pred, succ): (pk, (effective_on, is_default, source))
        for pk, pred, succ, effective_on, is_default, source in UnitSuccession.objects.values_list(
            "pk", "predecessor_id", "successor_id", "effective_on", "is_default", "source"
        )
    }
    wanted: dict[tuple[int, int], tuple[date, bool, str]] = {}
    for record in dataset.successions:
        wanted[(ids[record.predecessor], ids[record.successor])] = (
            REFORM_DATE,
            record.is_default,
            dataset.source,
        )
        level = record.predecessor.level
        report.successions_by_level[level] = report.successions_by_level.get(level, 0) + 1

    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    for (pred, succ), values in wanted.items():
        known = existing.get((pred, succ))
        if known is not None and known[1] == values:
            continue
        effective_on, is_default, source = values
        row = UnitSuccession(
            pk=known[0] if known else None,
            predecessor_id=pred,
            successor_id=succ,
            effective_on=effective_on,
            is_default=is_default,
            source=source,
        )
        (to_update if known else to_create).append(row)
    stale = [
        pk
        for key, (pk, (_on, _default, source)) in existing.items()
        if key not in wanted and source.startswith(SOURCE_PREFIX)
    ]
    # Order matters for "one default successor per unit": drop and demote before promoting and adding.
    for start in range(0, len(stale), BATCH_SIZE):
        UnitSuccession.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    for promote in (False, True):
        UnitSuccession.objects.bulk_update(
            [row for row in to_update if row.is_default is promote],
            fields=["effective_on", "is_default", "source"],
            batch_size=BATCH_SIZE,
        )
    UnitSuccession.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    report.successions_created = len(to_create)
    report.successions_updated = len(to_update)
    report.successions_deleted = len(stale)


def _refresh_planner_statistics() -> None:
    """After a bulk load, let the query planner see the new row counts (SQLite never gathers them itself)."""
    if connection.vendor not in {"sqlite", "postgresql"}:
        return
    with connection.cursor() as cursor:
        for model in (AdminUnit, UnitSuccession):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _count(report: LoadReport) -> None:
    """Units valid on the eve of the reform and on its first day, whatever their source."""
    eve = REFORM_DATE - timedelta(days=1)
    counts = AdminUnit.objects.aggregate(
        **{
            f"{era}_{level}": Count("pk", filter=valid_on_q(day) & Q(level=level))
            for era, day in (("legacy", eve), ("new", REFORM_DATE))
            for level in UnitLevel.values
        }
    )
    report.legacy_provinces = counts[f"legacy_{UnitLevel.PROVINCE}"]
    report.legacy_districts = counts[f"legacy_{UnitLevel.DISTRICT}"]
    report.legacy_communes = counts[f"legacy_{UnitLevel.COMMUNE}"]
    report.new_provinces = counts[f"new_{UnitLevel.PROVINCE}"]
    report.new_communes = counts[f"new_{UnitLevel.COMMUNE}"]
