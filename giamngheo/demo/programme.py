"""The demo district's programme records of 2023 around its lists, written through the same services an officer
uses: the 2024 targets the district set and the commendations it gave at its year-end conference (the seed
article, 24/01/2024; `targets.TARGETS_2024`, `targets.COMMENDATIONS_2023`).

The commended collectives and individuals are generated names (the article names none); the commended households
are households of the registry that escaped poverty in 2023 above the near-poor line (the official lists of
1 January 2023 and 2024), the most common reason a household is commended in the movement.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db.models import Q

from giamngheo.areas.models import AdminUnit, UnitLevel, Village
from giamngheo.commendations.models import Movement, RecipientType
from giamngheo.commendations.services import CommendationInput, commendation_record
from giamngheo.decisions.models import OfficialStatus
from giamngheo.decisions.status import statuses_on
from giamngheo.demo import names, targets
from giamngheo.goals.models import Indicator
from giamngheo.goals.services import target_set
from giamngheo.registry.models import Household
from giamngheo.reviews.models import PovertyClass

MOVEMENT = "vi-nguoi-ngheo-2021-2025"
POOR, NEAR_POOR = PovertyClass.POOR.value, PovertyClass.NEAR_POOR.value
DECISION_NUMBER = "15/QĐ-UBND"  # demo choice: the article gives no number

_ORGANISATIONS = (
    "Ủy ban nhân dân {commune}",
    "Hội Liên hiệp Phụ nữ {commune}",
    "Hội Nông dân {commune}",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh {commune}",
    "Hội Cựu chiến binh {commune}",
    "Ủy ban Mặt trận Tổ quốc Việt Nam {commune}",
)
_ROLES = (
    "Công chức Văn hóa - Xã hội {commune}",
    "Trưởng thôn {village}, {commune}",
    "Chi hội trưởng Hội Phụ nữ thôn {village}, {commune}",
    "Tổ trưởng Tổ tiết kiệm và vay vốn thôn {village}, {commune}",
)


def record_targets_2024(district: AdminUnit, *, actor: Any, today: date) -> int:
    """The district's 2024 targets (seed article), from its 2024 plan."""
    title, adopted_on = targets.TARGETS_2024_DOCUMENT
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(targets.TARGETS_2024))}
    for code, value in targets.TARGETS_2024.items():
        target_set(
            indicator=indicators[code], area=district, year=2024, value=value, actor=actor,
            document_title=title, document_date=adopted_on, today=today,
        )  # fmt: skip
    return len(targets.TARGETS_2024)


def record_commendations_2023(district: AdminUnit, *, actor: Any, today: date, seed: int) -> int:
    """The commendations of the district's year-end conference: collectives and individuals of its communes and
    villages, households that escaped poverty in 2023."""
    rng = random.Random(f"{seed}:commendations")  # noqa: S311 — reproducible demo data
    movement = Movement.objects.get(code=MOVEMENT)
    authority, decided_on = targets.COMMENDATIONS_DECISION
    communes = list(AdminUnit.objects.filter(parent=district, level=UnitLevel.COMMUNE).order_by("code"))
    villages = {
        c.pk: list(
            Village.objects.filter(Q(commune=c) | Q(legacy_commune=c))
            .order_by("local_code")
            .values_list("name", flat=True)
        )
        for c in communes
    }
    wanted = targets.COMMENDATIONS_2023
    collectives = rng.sample(
        [org.format(commune=c.name) for c in communes for org in _ORGANISATIONS], wanted["collective"]
    )
    individuals = []
    for _ in range(wanted["individual"]):
        commune = rng.choice(communes)
        role = rng.choice(_ROLES).format(
            commune=commune.name, village=rng.choice(villages[commune.pk] or ["1"])
        )
        ethnicity = names.BA_NA if rng.random() < 0.6 else names.KINH
        person = names.full_name(rng, ethnicity, rng.choice((names.MALE, names.FEMALE)))
        individuals.append(f"{person} — {role}")
    households = escaped_households(district, 2023)[: wanted["household"]]
    if len(households) < wanted["household"]:
        raise ValueError(f"chỉ có {len(households)} hộ thoát nghèo năm 2023 để khen thưởng")

    def record(recipient_type: str, name: str, achievement: str, household: Household | None = None) -> None:
        commendation_record(
            data=CommendationInput(
                area=district, year=2023, decision_number=DECISION_NUMBER, decision_date=decided_on,
                authority=authority, recipient_type=recipient_type, recipient_name=name, achievement=achievement,
                movement=movement, award="Giấy khen", household=household,
            ),
            actor=actor,
        )  # fmt: skip

    for name in collectives:
        record(RecipientType.COLLECTIVE, name, "Thành tích xuất sắc trong công tác giảm nghèo năm 2023")
    for name in individuals:
        record(RecipientType.INDIVIDUAL, name, "Thành tích xuất sắc trong công tác giảm nghèo năm 2023")
    for household in households:
        head = household.head.full_name if household.head is not None else household.code
        record(RecipientType.HOUSEHOLD, f"Hộ {head}", "Tự vươn lên thoát nghèo năm 2023", household)
    return len(collectives) + len(individuals) + len(households)


def escaped_households(district: AdminUnit, year: int) -> list[Household]:
    """Households poor on the lists in force on 1 January of `year` and on neither list on 1 January of the next
    year (escaped above the near-poor line), still open, by code."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    communes = list(AdminUnit.objects.filter(parent=district).values_list("pk", flat=True))
    listed = set(
        OfficialStatus.objects.filter(commune_id__in=communes).values_list("household_id", flat=True)
    )
    poor_then = [h for h, row in statuses_on(sorted(listed), start).items() if row.status == POOR]
    after = statuses_on(poor_then, end)
    escaped = [h for h in poor_then if h not in after or after[h].status not in {POOR, NEAR_POOR}]
    return list(
        Household.objects.filter(pk__in=escaped, closed_on__isnull=True)
        .select_related("head")
        .order_by("code")
    )
