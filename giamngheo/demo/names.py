"""Plausible personal names for the demo district (illustrative; no real person is meant).

Naming customs followed: Bahnar (Ba Na) people of Kông Chro mostly carry the surname Đinh with the Vietnamese
gender markers Văn/Thị ("Đinh Văn Súy", "Đinh Thị Hlăk"); Jrai people carry a clan name (Rơ Châm, Ksor, Siu,
Rơ Mah, Kpă, Nay, ...) and Jrai women's given names often start with H'; Jrai clans pass through the mother.
Kinh names are surname + middle name + given name; a Kinh wife keeps her own surname. Mường, Tày, Dao and Nùng
settlers use their groups' common surnames with Kinh-style middle names.
"""

from __future__ import annotations

import random

# Ethnicity codes of list A (giamngheo/registry/data/ethnicities.toml).
KINH = "01"
TAY = "02"
MUONG = "06"
NUNG = "07"
DAO = "09"
JRAI = "10"
BA_NA = "13"

MALE = "nam"
FEMALE = "nu"

_BA_NA_MALE = (
    "Súy", "Hmuih", "Blơm", "Brưk", "Hlinh", "Gơ", "Thuin", "Yưh", "Nhuen", "Phen", "Ngơr", "Pưi", "Hyơn", "Ben",
    "Kui", "Jơ", "Bơh", "Hrăk", "Tơng", "Dul", "Hlơn", "Ngul", "Mơk", "Blăk", "Hniêng", "Rin", "Brin", "Đơk", "Yoh",
    "Klăk", "Plơi", "Tham", "Ngơn", "Hyưk", "Bơr", "Đang", "Hlơp", "Gueh", "Jrưm", "Khoanh", "Kơn", "Lơi",
)  # fmt: skip
_BA_NA_FEMALE = (
    "Hlăk", "Bưng", "Nhơn", "Pă", "Ngưn", "Jâm", "Hbiơ", "Blưn", "Thiêu", "Hmưr", "Yơn", "Bơi", "Kươi", "Drơng",
    "Hyah", "Pưng", "Mlô", "Khươn", "Hnhang", "Brâu", "Lơn", "Plăn", "Ngơi", "Tih", "Hrưi", "Đươi", "Jui", "Yêr",
    "Nhít", "Hlui", "Klơi", "Tơl",
)  # fmt: skip
_JRAI_CLANS = ("Rơ Châm", "Ksor", "Siu", "Rơ Mah", "Kpă", "Nay", "Rah Lan", "Rơ Ô", "Puih", "Rơ Lan")
_JRAI_MALE = (
    "Hiu", "Blin", "Thuh", "Dơk", "Yuh", "Kơl", "Nhong", "Djuin", "Bleo", "Phun", "Hyuh", "Thun", "Tham", "Blơi",
    "Kheo", "Jôn", "Luih", "Yoan", "Mlơ", "Bhuh", "Đoan", "Nhiên",
)  # fmt: skip
_JRAI_FEMALE = (
    "H'Bơl", "H'Nhi", "H'Yơn", "H'Lan", "H'Prăk", "H'Nga", "H'Jum", "H'Dơ", "H'Blin", "H'Mlơi", "H'Biă", "H'Nhin",
    "H'Thăm", "H'Yai", "H'Dung", "H'Ngơ",
)  # fmt: skip
_KINH_SURNAMES = (
    ("Nguyễn", 30), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 5), ("Võ", 6), ("Phan", 4),
    ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Trương", 2), ("Đoàn", 1),
)  # fmt: skip
_KINH_MALE_MIDDLE = ("Văn", "Văn", "Văn", "Đình", "Minh", "Quang", "Hữu", "Công", "Thanh", "Đức", "Ngọc")
_KINH_FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích")
_KINH_MALE = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Long", "Phúc", "Tài", "Thắng", "Sơn", "Quân", "Khoa", "Đức",
    "Hoàng", "Bình", "Cường", "Hiếu", "Trung", "Vinh", "Tâm", "Lợi", "Thành", "Phong", "Quý", "Toàn", "An", "Huy",
)  # fmt: skip
_KINH_FEMALE = (
    "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Ngọc", "Thảo", "Hạnh", "Nga", "Hà", "Yến", "Nhung", "Thủy",
    "Phương", "Loan", "Hằng", "Vân", "Oanh", "Tuyết", "Dung", "Hiền", "Liên", "Thu", "Anh", "Vy", "My", "Trinh",
)  # fmt: skip
_SETTLER_SURNAMES = {
    MUONG: ("Bùi", "Đinh", "Quách", "Hà", "Xa"),
    TAY: ("Hoàng", "Nông", "Lường", "Ma", "Hà"),
    DAO: ("Triệu", "Bàn", "Đặng", "Lý"),
    NUNG: ("Nông", "Lương", "Hoàng", "Vi"),
}


def surname_for(rng: random.Random, ethnicity: str) -> str:
    if ethnicity == BA_NA:
        return "Đinh"
    if ethnicity == JRAI:
        return rng.choice(_JRAI_CLANS)
    if ethnicity in _SETTLER_SURNAMES:
        return rng.choice(_SETTLER_SURNAMES[ethnicity])
    names, weights = zip(*_KINH_SURNAMES, strict=True)
    return rng.choices(names, weights=weights)[0]


def full_name(rng: random.Random, ethnicity: str, sex: str, surname: str | None = None) -> str:
    """A name for a person of `ethnicity` (list-A code) and `sex`; `surname` keeps a family's line."""
    family = surname or surname_for(rng, ethnicity)
    if ethnicity == BA_NA:
        marker = "Văn" if sex == MALE else "Thị"
        return f"{family} {marker} {rng.choice(_BA_NA_MALE if sex == MALE else _BA_NA_FEMALE)}"
    if ethnicity == JRAI:
        return f"{family} {rng.choice(_JRAI_MALE if sex == MALE else _JRAI_FEMALE)}"
    middle = rng.choice(_KINH_MALE_MIDDLE if sex == MALE else _KINH_FEMALE_MIDDLE)
    given = rng.choice(_KINH_MALE if sex == MALE else _KINH_FEMALE)
    return f"{family} {middle} {given}"


def child_surname(ethnicity: str, father_name: str | None, mother_name: str | None) -> str | None:
    """The surname a child inherits: the mother's clan for Jrai, otherwise the father's surname."""
    if ethnicity == JRAI:
        source = mother_name or father_name
        return _jrai_clan(source) if source else None
    source = father_name or mother_name
    if source is None:
        return None
    return source.split(" ")[0]


def _jrai_clan(name: str) -> str | None:
    for clan in sorted(_JRAI_CLANS, key=len, reverse=True):
        if name.startswith(clan + " "):
            return clan
    return None
