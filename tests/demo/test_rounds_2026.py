"""The demo's end-2026 rounds, open on the day of the build, are at different steps of the review procedure (issue 9:
"one in its posting period, one with complaints, one decided and awaiting approval"), so that every step can be
tried at once by the demo's logins: Xã Kông Chro posting with a complaint waiting for its re-check, Xã Chơ Long
posting since the day before, Xã Đăk Song decided and submitted to the province."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from giamngheo.decisions.approval import approval_state
from giamngheo.decisions.models import ApprovalAction, Decision
from giamngheo.decisions.procedure import Step, progress
from giamngheo.demo import targets
from giamngheo.demo.planner import survey_last_2026
from giamngheo.demo.summary import later_reviews
from giamngheo.reviews.models import Assessment, Review
from tests.conftest import TODAY
from tests.demo.conftest import DemoSetup

pytestmark = pytest.mark.django_db


def rounds() -> dict[str, Review]:
    return {review.area.code: review for review in later_reviews()}


def test_each_commune_meets_its_own_targets_in_its_own_round() -> None:
    found = rounds()
    assert set(found) == {t.commune for t in targets.TERRITORIES}
    for territory in targets.TERRITORIES:
        review, target = found[territory.commune], territory.reviews[-1]
        assert not review.is_closed_on(TODAY) and review.standard_id == targets.STANDARD_2026
        classes = list(Assessment.objects.filter(review=review).values_list("poverty_class", flat=True))
        assert (len(classes), classes.count("ngheo"), classes.count("can_ngheo")) == (
            target.households, target.poor, target.near_poor
        )  # fmt: skip
        # The survey ended as many days before the build as the commune's step takes (`targets.STAGE_DAYS`).
        last = max(Assessment.objects.filter(review=review).values_list("assessed_on", flat=True))
        assert (
            last
            <= survey_last_2026(TODAY, territory.stage_2026)
            == TODAY - timedelta(days=targets.STAGE_DAYS[territory.stage_2026])
        )


def test_the_rounds_are_at_different_steps_on_the_day_of_the_build(demo_setup: DemoSetup) -> None:
    found = rounds()
    states = {}
    for code, review in found.items():
        state = progress(review, review.area, today=TODAY)
        states[code] = state
        assert state.villages_agreed  # every village has met on its results
        assert state.posting is not None
    stage = {t.stage_2026: t.commune for t in targets.TERRITORIES}
    # Posting since the day before, no complaint.
    posting = states[stage["posting"]]
    assert posting.step == Step.POSTING and not posting.complaints
    assert posting.posting is not None and posting.posting.starts_on == TODAY - timedelta(days=1)
    assert posting.posting.ends_on >= TODAY and posting.decision is None
    # A complaint received the day before waits for its re-check during the posting.
    complaints = states[stage["complaints"]]
    assert complaints.step == Step.COMPLAINTS and len(complaints.open_complaints) == 1
    assert complaints.open_complaints[0].received_on == TODAY - timedelta(days=1)
    assert complaints.decision is None
    # Decided after the posting and the consultation of the province, submitted, waiting for approval.
    decided = states[stage["decided"]]
    assert decided.decision is not None and decided.decision.signed_on == TODAY - timedelta(days=2)
    assert decided.posting is not None and decided.posting.ends_on < decided.decision.signed_on
    assert decided.consultation is not None and decided.consultation.authority == "province"
    assert decided.step in {Step.CERTIFICATES, Step.DONE}
    assert approval_state(found[stage["decided"]], found[stage["decided"]].area) == ApprovalAction.SUBMITTED
    assert {approval_state(found[stage[s]], found[stage[s]].area) for s in ("posting", "complaints")} == {
        "draft"
    }
    # The command's summary says where each round stands.
    for state in states.values():
        assert f"bước «{state.step_label}»" in demo_setup.output


@pytest.mark.calendar(TODAY + timedelta(days=1))
def test_the_province_approves_the_decided_round_and_the_commune_cannot() -> None:
    """The demo's logins can take the next step at once: the commune officer of the decided commune may not
    approve its own results; the province's officer approves them (the next morning: the demo was built on the
    test calendar's day, its clock running) and they are locked."""
    territory = next(t for t in targets.TERRITORIES if t.stage_2026 == "decided")
    review = rounds()[territory.commune]
    commune = review.area
    url = reverse("web:approval-step", args=[review.pk, commune.pk, "phe-duyet"])
    users = get_user_model().objects
    officer, province = Client(), Client()
    officer.force_login(users.get(username="xa.daksong"))
    province.force_login(users.get(username="gialai"))
    page = officer.get(reverse("web:procedure", args=[review.pk, commune.pk]))
    assert page.status_code == 200 and Decision.objects.filter(review=review, commune=commune).exists()
    assert officer.post(url).status_code == 403
    assert approval_state(review, commune) == ApprovalAction.SUBMITTED
    assert province.post(url).status_code == 302
    assert approval_state(review, commune) == ApprovalAction.APPROVED
