"""Read Vietnam's administrative units and the 2025 old→new mapping from the `vietnamadminunits` package.

Rule (domain.md §7, §8): on 1 July 2025 the district level was abolished and communes were merged (NQ 202/2025/QH15,
NQ 1654–1687/NQ-UBTVQH15; new codes per QĐ 19/2025/QĐ-TTg). The 63 provinces / 696 districts / ~10,035 communes
before the reform become 34 provinces / 3,321 communes after it. A code identifies a unit only together with its
validity (a new commune may reuse an old code under another name), so every unit here carries its natural key
(level, code, valid_from).

The package ships a SQLite file (`data/dataset.db`, tables `admin_units_legacy` and `admin_units`) and a converter
table (`data/converter_2025.json`) written in name-derived *keys* ("tinhgialai_huyenkongchro_xayama"). Those keys are
resolved to codes here, once, through the dataset's own key columns: after loading, nothing is ever matched by name.

This module is framework-free (no Django import) so it can be read and tested on its own.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

PACKAGE = "vietnamadminunits"
SOURCE_PREFIX = PACKAGE

# Level values; they equal the values of models.UnitLevel (kept plain here to stay framework-free).
PROVINCE = "province"
DISTRICT = "district"
COMMUNE = "commune"


class SourceDataError(ValueError):
    """The package's data is inconsistent (an unresolvable key, a code with two names, ...)."""


class UnitKey(NamedTuple):
    """Natural key of a unit: a code is unique only per level and validity period."""

    level: str
    code: str
    valid_from: date | None


@dataclass(frozen=True)
class UnitRecord:
    key: UnitKey
    name: str
    unit_type: str
    parent: UnitKey | None
    valid_to: date | None


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor: UnitKey
    successor: UnitKey
    is_default: bool


@dataclass
class UnitDataset:
    source: str
    units: list[UnitRecord]  # parents before children
    successions: list[SuccessionRecord]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PackageFiles:
    dataset_db: Path
    converter_json: Path
    version: str

    @property
    def source(self) -> str:
        return f"{PACKAGE} {self.version}"


def locate_package() -> PackageFiles:
    """Find the package's data files without importing it (its __init__ loads several MB of parser data)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SourceDataError(f"Chưa cài gói {PACKAGE}: không tìm thấy dữ liệu đơn vị hành chính.")
    data_dir = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = PackageFiles(
        dataset_db=data_dir / "dataset.db",
        converter_json=data_dir / "converter_2025.json",
        version=importlib.metadata.version(PACKAGE),
    )
    for path in (files.dataset_db, files.converter_json):
        if not path.is_file():
            raise SourceDataError(f"Gói {files.source} thiếu tệp dữ liệu {path.name} (tìm tại {path}).")
    return files


def province_type(name: str) -> str:
    """'Thành phố Hà Nội' -> 'Thành phố', 'Tỉnh Gia Lai' -> 'Tỉnh' (the package has no province-type column)."""
    return "Thành phố" if name.startswith("Thành phố ") else "Tỉnh"


def read_dataset(*, reform_date: date, files: PackageFiles | None = None) -> UnitDataset:
    """All units before and after `reform_date`, and who succeeded whom on that date."""
    files = files or locate_package()
    legacy_to = reform_date - timedelta(days=1)
    uri = files.dataset_db.resolve().as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        legacy_rows = conn.execute(
            "SELECT provinceCode, province, provinceKey, districtCode, district, districtType, districtKey,"
            " wardCode, ward, wardType, wardKey FROM admin_units_legacy"
            " ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
        new_rows = conn.execute(
            "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey FROM admin_units"
            " ORDER BY provinceCode, wardCode"
        ).fetchall()
    converter: dict[str, Any] = json.loads(files.converter_json.read_text(encoding="utf-8"))

    builder = _Builder(legacy_to=legacy_to, reform_date=reform_date)
    builder.add_legacy(legacy_rows)
    builder.add_new(new_rows)
    builder.add_successions(converter)
    return UnitDataset(
        source=files.source,
        units=builder.units(),
        successions=builder.successions(),
        warnings=builder.warnings,
    )


class _Builder:
    """Collects units by natural key and resolves converter keys to them."""

    def __init__(self, *, legacy_to: date, reform_date: date) -> None:
        self.legacy_to = legacy_to
        self.reform_date = reform_date
        self.records: dict[UnitKey, UnitRecord] = {}
        self.legacy_province_by_key: dict[str, UnitKey] = {}
        self.new_province_by_key: dict[str, UnitKey] = {}
        # "provincekey_districtkey_wardkey" -> legacy commune; "..._districtkey_" -> a district without communes.
        self.legacy_by_old_key: dict[str, UnitKey] = {}
        self.new_commune_by_key: dict[tuple[str, str], UnitKey] = {}
        self.commune_links: dict[tuple[UnitKey, UnitKey], bool] = {}
        self.district_links: dict[tuple[UnitKey, UnitKey], bool] = {}
        self.province_links: dict[tuple[UnitKey, UnitKey], bool] = {}
        self.warnings: list[str] = []

    def _put(
        self, key: UnitKey, name: str, unit_type: str, parent: UnitKey | None, valid_to: date | None
    ) -> UnitKey:
        known = self.records.get(key)
        if known is None:
            self.records[key] = UnitRecord(key, name, unit_type, parent, valid_to)
        elif (known.name, known.unit_type, known.parent) != (name, unit_type, parent):
            raise SourceDataError(
                f"Mã {key.code} ({key.level}) có hai bản ghi khác nhau: “{known.name}” và “{name}”."
            )
        return key

    def add_legacy(self, rows: list[tuple[Any, ...]]) -> None:
        for p_code, p_name, p_key, d_code, d_name, d_type, d_key, w_code, w_name, w_type, w_key in rows:
            province = self._put(
                UnitKey(PROVINCE, p_code, None), p_name, province_type(p_name), None, self.legacy_to
            )
            self.legacy_province_by_key[p_key] = province
            district = self._put(
                UnitKey(DISTRICT, d_code, None), d_name, d_type or "", province, self.legacy_to
            )
            if w_code is None:  # island districts with no commune level (Bạch Long Vĩ, Cồn Cỏ, ...)
                self.legacy_by_old_key[f"{p_key}_{d_key}_"] = district
                continue
            commune = self._put(
                UnitKey(COMMUNE, w_code, None), w_name, w_type or "", district, self.legacy_to
            )
            self.legacy_by_old_key[f"{p_key}_{d_key}_{w_key}"] = commune

    def add_new(self, rows: list[tuple[Any, ...]]) -> None:
        start = self.reform_date
        for p_code, p_name, p_key, w_code, w_name, w_type, w_key in rows:
            province = self._put(UnitKey(PROVINCE, p_code, start), p_name, province_type(p_name), None, None)
            self.new_province_by_key[p_key] = province
            commune = self._put(UnitKey(COMMUNE, w_code, start), w_name, w_type or "", province, None)
            self.new_commune_by_key[(p_key, w_key)] = commune

    def _old(self, old_key: str) -> UnitKey:
        try:
            return self.legacy_by_old_key[old_key]
        except KeyError:
            raise SourceDataError(
                f"Bảng chuyển đổi nhắc tới đơn vị cũ “{old_key}” không có trong dữ liệu."
            ) from None

    def _new(self, province_key: str, ward_key: str) -> UnitKey:
        try:
            return self.new_commune_by_key[(province_key, ward_key)]
        except KeyError:
            raise SourceDataError(
                f"Bảng chuyển đổi nhắc tới xã mới “{ward_key}” của “{province_key}” không có trong dữ liệu."
            ) from None

    def add_successions(self, converter: dict[str, Any]) -> None:
        for new_p_key, old_p_keys in converter["DICT_PROVINCE"].items():
            new_province = self.new_province_by_key.get(new_p_key)
            if new_province is None:
                raise SourceDataError(
                    f"Bảng chuyển đổi nhắc tới tỉnh mới “{new_p_key}” không có trong dữ liệu."
                )
            for old_p_key in old_p_keys:
                old_province = self.legacy_province_by_key.get(old_p_key)
                if old_province is None:
                    raise SourceDataError(
                        f"Bảng chuyển đổi nhắc tới tỉnh cũ “{old_p_key}” không có trong dữ liệu."
                    )
                self.province_links[(old_province, new_province)] = True

        # Old units that passed whole to one new commune.
        for new_p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_w_key, old_keys in wards.items():
                successor = self._new(new_p_key, new_w_key)
                for old_key in old_keys:
                    self._link(self._old(old_key), successor, is_default=True)
        # Old communes divided between several new communes; the package names the default receiver.
        for new_p_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old_key, parts in divided.items():
                predecessor = self._old(old_key)
                for part in parts:
                    successor = self._new(new_p_key, part["newWardKey"])
                    self._link(predecessor, successor, is_default=bool(part["isDefaultNewWard"]))

        self._derive_district_links()
        self._derive_province_links()
        self._check_coverage()

    def _link(self, predecessor: UnitKey, successor: UnitKey, *, is_default: bool) -> None:
        links = self.commune_links if predecessor.level == COMMUNE else self.district_links
        links[(predecessor, successor)] = links.get((predecessor, successor), False) or is_default

    def _derive_district_links(self) -> None:
        """A district → every new commune its communes went to; default only when there is a single one."""
        targets: dict[UnitKey, set[UnitKey]] = defaultdict(set)
        for predecessor, successor in [*self.commune_links, *self.district_links]:
            district = self.records[predecessor].parent if predecessor.level == COMMUNE else predecessor
            if district is not None:
                targets[district].add(successor)
        self.district_links = {
            (district, successor): len(successors) == 1
            for district, successors in targets.items()
            for successor in successors
        }

    def _derive_province_links(self) -> None:
        """Communes that left for another province than the package's province table says (none in 1.0.4)."""
        for predecessor, successor in self.commune_links:
            district = self.records[predecessor].parent
            old_province = self.records[district].parent if district else None
            new_province = self.records[successor].parent
            if old_province and new_province and (old_province, new_province) not in self.province_links:
                self.province_links[(old_province, new_province)] = False

    def _check_coverage(self) -> None:
        defaults: dict[UnitKey, int] = defaultdict(int)
        for (predecessor, _successor), is_default in self.commune_links.items():
            defaults[predecessor] += is_default
        received = {successor for _predecessor, successor in [*self.commune_links, *self.district_links]}
        for key, record in self.records.items():
            if key.level == COMMUNE and key.valid_from is None and defaults.get(key, 0) != 1:
                self.warnings.append(
                    f"Xã cũ {record.name} ({key.code}) có {defaults.get(key, 0)} xã mới kế thừa chính (cần đúng 1)."
                )
            if key.level == COMMUNE and key.valid_from is not None and key not in received:
                self.warnings.append(f"Xã mới {record.name} ({key.code}) không có đơn vị cũ nào chuyển vào.")

    def units(self) -> list[UnitRecord]:
        order = {PROVINCE: 0, DISTRICT: 1, COMMUNE: 2}
        return sorted(
            self.records.values(),
            key=lambda r: (order[r.key.level], r.key.valid_from or date.min, r.key.code),
        )

    def successions(self) -> list[SuccessionRecord]:
        return [
            SuccessionRecord(predecessor, successor, is_default)
            for links in (self.province_links, self.district_links, self.commune_links)
            for (predecessor, successor), is_default in sorted(
                links.items(), key=lambda item: (item[0][0].code, item[0][1].code)
            )
        ]
