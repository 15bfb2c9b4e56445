"""Results explained in the reader's language: the engine's explanation of a live classification or of a stored
assessment, with the labels of recorded values (a water source, a work status) from the registry's choices, and
the answers still needed to decide the undecided indicators.

A stored assessment is explained from what was decided: its masks, its income and the facts snapshot it was
classified from (`Assessment.facts`), so the words follow the reader's language while the result stays as decided.
Where that cannot reproduce the stored class (no snapshot, a standard's data file gone or changed since), the
explanation stored at the time is shown as it was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import get_language, override

from giamngheo.engine.classify import Classification, classification_from_masks, classify_household
from giamngheo.engine.explain import answers_needed
from giamngheo.engine.facts import HouseholdFacts
from giamngheo.engine.standard import (
    CatalogueIndicator,
    Standard,
    StandardError,
    get_standard,
    load_catalogue,
)
from giamngheo.registry.facts import facts_from_json
from giamngheo.registry.models import (
    EducationLevel,
    LatrineType,
    SchoolLevel,
    Sex,
    VocationalLevel,
    WaterSource,
    WorkStatus,
)
from giamngheo.reviews.models import Assessment, PovertyClass

_VALUE_CHOICES: dict[str, Any] = {
    "sex": Sex,
    "work_status": WorkStatus,
    "school_level": SchoolLevel,
    "education_level": EducationLevel,
    "vocational_level": VocationalLevel,
    "water_source": WaterSource,
    "latrine_type": LatrineType,
}


def language() -> str:
    """The engine's language for the active one: English for "en", Vietnamese otherwise."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def indicator_name(code: str, catalogue: dict[str, CatalogueIndicator] | None = None) -> str:
    """An indicator's name in the active language (its code when the catalogue does not know it)."""
    item = (catalogue or load_catalogue()).get(code)
    if item is None:
        return code
    return item.name_en if language() == "en" else item.name_vi


@cache
def _labels(lang: str) -> dict[str, dict[str, str]]:
    # Computed inside the active language (the cache key); choices' labels are lazy translations.
    return {
        fact: {value: str(label) for value, label in choices.choices}
        for fact, choices in _VALUE_CHOICES.items()
    }


def value_labels() -> dict[str, dict[str, str]]:
    """Fact -> recorded value -> its label in the active language."""
    return _labels(get_language() or "vi")


def recorded_labels() -> dict[str, dict[str, str]]:
    """The labels in Vietnamese, for the explanation stored with an assessment (the record is in Vietnamese)."""
    with override("vi"):
        return _labels("vi")


@dataclass(frozen=True)
class Explained:
    """A result as the pages show it."""

    text: str
    result: Classification | None  # None when only the stored text could be shown
    needed: tuple[tuple[str, str], ...] = ()  # (indicator, answers still needed)

    @property
    def could_change(self) -> bool:
        return self.result is not None and not self.result.settled

    @property
    def possible_label(self) -> str:
        """The class the household could be if the undecided indicators turned out deprived."""
        if self.result is None or self.result.possible_class is None:
            return ""
        return str(PovertyClass(self.result.possible_class.value).label)


def explain_live(standard: Standard, facts: HouseholdFacts) -> Explained:
    """Classify `facts` now (nothing stored) and explain it in the active language."""
    lang = language()
    result = classify_household(standard, facts, language=lang, value_labels=value_labels())
    return Explained(
        result.explanation, result, tuple(answers_needed(result, standard, facts, language=lang))
    )


def explain_assessment(assessment: Assessment) -> Explained:
    """A stored assessment explained in the active language (module docstring)."""
    if not assessment.facts:
        return Explained(assessment.explanation, None)
    try:
        standard = get_standard(assessment.standard_id)
        facts = facts_from_json(assessment.facts)
    except (StandardError, KeyError, TypeError, ValueError):
        return Explained(assessment.explanation, None)
    lang = language()
    result = classification_from_masks(
        standard,
        facts,
        deprived=assessment.deprivation_mask,
        derived=assessment.derived_mask,
        derivable=assessment.derivable_mask,
        conflict=assessment.conflict_mask,
        missing=assessment.missing_mask,
        language=lang,
        value_labels=value_labels(),
    )
    if result.poverty_class.value != assessment.poverty_class:
        return Explained(assessment.explanation or result.explanation, None)
    return Explained(
        result.explanation, result, tuple(answers_needed(result, standard, facts, language=lang))
    )


def explanation_for(assessment: Assessment) -> str:
    """The explanation of a stored assessment in the active language."""
    return explain_assessment(assessment).text
