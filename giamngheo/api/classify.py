"""Classify an ad-hoc household without storing anything: the engine's class, deprivations and explanation for
the facts sent, under a named standard or the one in force today."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from giamngheo.api.errors import Error
from giamngheo.api.schemas import ClassifyIn, ClassifyOut
from giamngheo.api.schemas.classify import MemberFactsIn
from giamngheo.engine.facts import AreaType, HouseholdFacts, MemberFacts, member_facts
from giamngheo.engine.standard import Standard, StandardError, get_standard, standard_in_force
from giamngheo.reviews.explanations import explain_live, indicator_name, language
from giamngheo.reviews.models import PovertyClass

router = Router(tags=["Phân loại"])


def _standard(code: str | None) -> Standard:
    try:
        return get_standard(code) if code else standard_in_force(timezone.localdate())
    except StandardError as exc:
        raise ValidationError({"standard": [str(exc)]}) from exc


@router.post(
    "/classify",
    response={200: ClassifyOut, 400: Error, 401: Error, 422: Error},
    summary="Phân loại thử một hộ từ dữ liệu gửi lên (không lưu gì)",
)
def classify(request: HttpRequest, payload: ClassifyIn) -> Any:
    standard = _standard(payload.standard)
    unknown = sorted(set(payload.entered) - set(standard.indicator_codes))
    if unknown:
        message = _("Chuẩn %(standard)s không có chỉ số %(codes)s (các chỉ số: %(known)s).") % {
            "standard": standard.id,
            "codes": ", ".join(unknown),
            "known": ", ".join(standard.indicator_codes),
        }
        raise ValidationError({"entered": [message]})
    living = payload.living.model_dump(mode="json") if payload.living is not None else {}
    on = payload.on or timezone.localdate()
    facts = HouseholdFacts(
        area_type=AreaType(payload.area_type),
        income_per_capita=payload.income_per_capita,
        is_agri=payload.is_agri,
        members=tuple(_member(member, on) for member in payload.members),
        entered=dict(payload.entered),
        **living,
    )
    explained = explain_live(standard, facts)
    result = explained.result
    assert result is not None
    needed = dict(explained.needed)
    rules = {rule.code: rule for rule in standard.indicators}
    english = language() == "en"
    return {
        "standard": standard.id,
        "standard_name": standard.name_en if english else standard.name_vi,
        "poverty_class": result.poverty_class.value,
        "poverty_class_label": str(PovertyClass(result.poverty_class.value).label),
        "deprivation_count": result.deprivation_count,
        "indicator_total": result.indicator_total,
        "cutoff": result.cutoff,
        "income_per_capita": result.income_per_capita,
        "poverty_line": result.poverty_line,
        "lower_line": result.lower_line,
        "middle_line": result.middle_line,
        "indicators": [
            {
                "code": outcome.code,
                "name": indicator_name(outcome.code, standard.catalogue),
                "description": rules[outcome.code].describe_en if english else outcome.describe_vi,
                "entered": outcome.entered,
                "derived": outcome.derived,
                "deprived": outcome.deprived,
                "conflict": outcome.conflict,
                "missing": outcome.missing,
                "needed": needed.get(indicator_name(outcome.code, standard.catalogue), ""),
            }
            for outcome in result.outcomes
        ],
        "explanation": result.explanation,
        "possible_class": (result.possible_class or result.poverty_class).value,
    }


def _member(member: MemberFactsIn, on: date) -> MemberFacts:
    """A member's facts on `on`: from the birth date when sent, else the age in whole years as sent."""
    values = member.model_dump(mode="python", exclude={"birth_date", "age", "sex"})
    sex = str(member.sex) if member.sex is not None else None
    if member.birth_date is not None:
        return member_facts(birth_date=member.birth_date, sex=sex, on=on, **values)
    return MemberFacts(age=member.age, sex=sex, **values)
