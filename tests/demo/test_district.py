"""Acceptance checks on the generated Kông Chro demo district (generated once per package, see conftest.py)."""

from __future__ import annotations

import io
import json
import re
import time
import types
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from giamngheo.areas.models import REFORM_DATE, AdminUnit, UnitLevel
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.demo import names, targets
from giamngheo.demo.models import DemoRun
from giamngheo.engine.classify import classify_household
from giamngheo.engine.standard import get_standard
from giamngheo.registry.facts import facts_from_json
from giamngheo.registry.models import EventKind, Household, HouseholdEvent, Person
from giamngheo.reviews.models import Assessment, Review
from tests.conftest import NOW
from tests.demo.conftest import DemoSetup

pytestmark = pytest.mark.django_db


def stats_json(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def classes(kind: str, year: int) -> dict[str, str]:
    rows = Assessment.objects.filter(review__kind=kind, review__year=year)
    return dict(rows.values_list("household__code", "poverty_class"))


def test_stats_reproduce_the_published_figures(demo_setup: DemoSetup) -> None:
    figures = stats_json("--area", "630", "--year", "2023")
    assert figures["total_households"] == 12_836
    assert figures["poor_households"] == 4_336
    assert figures["poverty_rate"] == 33.78
    assert figures["previous"]["total_households"] == 12_681
    assert figures["previous"]["poor_households"] == 5_033
    assert figures["previous"]["poverty_rate"] == 39.69
    assert figures["change_households"] == -697
    assert figures["change_points"] == -5.91
    low, high = targets.NEAR_POOR_SHARE_BAND
    for year in (figures, figures["previous"]):
        assert low <= Decimal(str(year["near_poor_rate"])) <= high
    assert figures["near_poor_rate"] > figures["previous"]["near_poor_rate"]
    assert 0 < figures["middle_households"] < figures["near_poor_households"]
    assert (
        "4.336" in demo_setup.output
        and "33,78 %" in demo_setup.output
        and "giamngheo-demo" in demo_setup.output
    )


def test_every_class_is_the_scalar_engines_from_the_stored_facts() -> None:
    standards = {code: get_standard(code) for code in (targets.STANDARD_CODE, targets.STANDARD_2026)}
    checked = conflicts = 0
    for (
        standard_id,
        facts,
        stored_class,
        count,
        conflict_mask,
        missing_mask,
    ) in Assessment.objects.values_list(
        "standard_id", "facts", "poverty_class", "deprivation_count", "conflict_mask", "missing_mask"
    ).iterator(chunk_size=2_000):
        result = classify_household(standards[standard_id], facts_from_json(facts))
        assert (result.poverty_class.value, result.deprivation_count) == (stored_class, count)
        assert missing_mask == 0 and not result.undecided  # a fully recorded register decides every indicator
        checked += 1
        conflicts += conflict_mask != 0
    regular = Assessment.objects.filter(review__kind="regular").count()
    later = [target for territory in targets.TERRITORIES for target in territory.reviews]
    assert checked == 12_681 + 12_836 + regular + sum(target.households for target in later)
    assert 0 < conflicts < checked // 50  # a few deliberate reviewer slips, overruled by the facts


def test_the_six_new_communes_add_up_to_the_old_district() -> None:
    totals = [stats_json("--area", code, "--year", "2023", "--current") for code in targets.NEW_COMMUNES]
    assert sum(t["total_households"] for t in totals) == 12_836
    assert sum(t["poor_households"] for t in totals) == 4_336
    assert sum(t["previous"]["poor_households"] for t in totals) == 5_033
    new_kong_chro = AdminUnit.objects.valid_on(REFORM_DATE).get(level=UnitLevel.COMMUNE, code="23824")
    covered = commune_ids_within(new_kong_chro)
    old = AdminUnit.objects.valid_on(REFORM_DATE.replace(year=2023)).filter(
        level=UnitLevel.COMMUNE, code__in=["23824", "23845", "23854"]
    )
    assert old.count() == 3 and all(unit.pk in covered for unit in old)
    households = Household.objects.filter(commune__in=old)
    assert households.exists() and not households.exclude(commune_id__in=covered).exists()


def test_second_run_does_nothing_quickly() -> None:
    before = (
        Household.objects.count(),
        Person.objects.count(),
        Assessment.objects.count(),
        HouseholdEvent.objects.count(),
    )
    started = time.perf_counter()
    out = io.StringIO()
    call_command("demo", "--seed", "1", stdout=out)
    elapsed = time.perf_counter() - started
    assert "đã có" in out.getvalue() and "Bỏ qua --seed 1" in out.getvalue()
    assert elapsed < 5
    after = (
        Household.objects.count(),
        Person.objects.count(),
        Assessment.objects.count(),
        HouseholdEvent.objects.count(),
    )
    assert after == before
    assert DemoRun.objects.count() == 1


def test_serve_runs_the_production_server_on_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    from giamngheo.demo.management.commands import demo

    servers: list[int] = []
    stopped: list[Any] = []
    worker = types.SimpleNamespace(pid=4242, returncode=0)
    server = types.SimpleNamespace(pid=4343, returncode=0, wait=lambda: 0)
    monkeypatch.setattr(demo, "_port_free", lambda port: True)
    monkeypatch.setattr(demo, "_start_worker", lambda: worker)
    monkeypatch.setattr(demo, "_start_server", lambda port: servers.append(port) or server)
    monkeypatch.setattr(demo, "_stop_server", stopped.append)
    monkeypatch.setattr(demo, "_stop_worker", stopped.append)
    out = io.StringIO()
    call_command("demo", "--serve", "--port", "8765", stdout=out)
    assert servers == [8765]  # `giamngheo serve --host 127.0.0.1 --port 8765` (tests/server/test_serve.py)
    assert "http://127.0.0.1:8765/" in out.getvalue()
    assert "giamngheo worker, PID 4242" in out.getvalue()
    assert stopped == [server, worker]  # the worker stops with the server


def test_transitions_between_the_reviews_are_realistic() -> None:
    first, middle, second = classes("periodic", 2022), classes("regular", 2023), classes("periodic", 2023)
    flows = Counter((first.get(code, "moi"), second.get(code, "dong")) for code in set(first) | set(second))
    escaped = (
        flows[("ngheo", "can_ngheo")]
        + flows[("ngheo", "khong_ngheo")]
        + flows[("ngheo", "muc_song_trung_binh")]
    )
    assert escaped > 700  # many poor households escape ...
    assert flows[("ngheo", "can_ngheo")] > flows[("ngheo", "khong_ngheo")]  # ... mostly to near-poor
    assert 0 < flows[("can_ngheo", "ngheo")] < escaped / 3  # some near-poor fall into poverty
    assert (
        flows[("khong_ngheo", "ngheo")] > 0 and flows[("moi", "ngheo")] > 0
    )  # newly arising; new households
    assert flows[("ngheo", "dong")] > 0  # poor households that closed (died out, moved away, merged)
    re_poor = [
        c
        for c, cls in middle.items()
        if first.get(c) == "ngheo" and cls != "ngheo" and second.get(c) == "ngheo"
    ]
    assert re_poor  # escaped in the June regular review, poor again at the end of the year (tái nghèo)


def test_household_history_explains_the_changes() -> None:
    first, second = classes("periodic", 2022), classes("periodic", 2023)
    escaped_to_near = [c for c, cls in first.items() if cls == "ngheo" and second.get(c) == "can_ngheo"]
    changed = set(
        HouseholdEvent.objects.filter(
            household__code__in=escaped_to_near,
            kind__in=[EventKind.MEMBER_UPDATED, EventKind.LIVING_CONDITIONS],
            occurred_on__year=2023,
        ).values_list("household__code", flat=True)
    )
    assert len(changed) >= 0.9 * len(escaped_to_near)
    kinds = Counter(HouseholdEvent.objects.filter(occurred_on__year=2023).values_list("kind", flat=True))
    for kind in (
        EventKind.SPLIT,
        EventKind.CLOSED,
        EventKind.MERGED,
        EventKind.MEMBER_ADDED,
        EventKind.MEMBER_LEFT,
    ):
        assert kinds[kind] > 0, kind
    assert Household.objects.filter(closed_reason="split").count() == 0
    assert (
        Household.objects.exclude(split_from=None).filter(registered_on__year=2023).count()
        == targets.SPLITS_2023
    )
    closings = Household.objects.exclude(closed_reason="")
    closed = Counter(closings.filter(closed_on__year=2023).values_list("closed_reason", flat=True))
    assert closed == Counter(targets.CLOSURES_2023)
    later = Counter(closings.filter(closed_on__year__gt=2023).values_list("closed_reason", flat=True))
    # The three communes moved forward to 2026.
    assert later == sum((Counter(territory.closures) for territory in targets.TERRITORIES), Counter())
    rebuilt = {
        code
        for code, changes in HouseholdEvent.objects.filter(
            kind=EventKind.LIVING_CONDITIONS, occurred_on__year=2023, household__code__in=first
        ).values_list("household__code", "changes")
        if changes.get("pillar_material", [None, None])[1] == "concrete"
    }
    assert len({code for code in rebuilt if first[code] == "ngheo"}) >= targets.HOUSES_SUPPORTED_2023


def test_people_and_places_look_like_kong_chro() -> None:
    persons = Person.objects.select_related("ethnicity")
    total = persons.count()
    by_ethnicity = Counter(persons.values_list("ethnicity__code", flat=True))
    assert by_ethnicity[names.BA_NA] > total / 2
    minority = total - by_ethnicity[names.KINH]
    assert minority / total > 0.73
    assert persons.filter(ethnicity__code_list="A").count() == total
    assert persons.filter(ethnicity__code=names.BA_NA, ethnicity__is_local_indigenous=True).exists()
    jrai_heads = Household.objects.filter(head__ethnicity__code=names.JRAI)
    assert jrai_heads.filter(commune__code="23854").count() > jrai_heads.count() / 2
    adults_without_id = persons.filter(birth_date__year__lt=2000, citizen_id=None, date_of_death=None).count()
    assert adults_without_id == 0
    for citizen_id, sex, birth in persons.exclude(citizen_id=None).values_list(
        "citizen_id", "sex", "birth_date"
    )[:2000]:
        assert re.fullmatch(r"0\d{11}", citizen_id)
        assert citizen_id[3] == str((0 if birth.year < 2000 else 2) + (sex == "nu"))
        assert citizen_id[4:6] == f"{birth.year % 100:02d}"
    area_types = dict(
        Household.objects.values("commune__code")
        .annotate(urban=Count("id", filter=Q(area_type="thanh_thi")), n=Count("id"))
        .values_list("commune__code", "urban")
    )
    assert area_types.pop("23824") > 0 and set(area_types.values()) == {0}
    assert Household.objects.filter(is_agri=True).count() > Household.objects.count() * 0.7


def test_poverty_is_higher_in_remote_communes_than_in_the_town() -> None:
    def rate(code: str) -> float:
        return stats_json("--area", code, "--year", "2022")["poverty_rate"]

    district = stats_json("--area", "630", "--year", "2022")["poverty_rate"]
    assert rate("23824") < district / 2
    assert rate("23846") > district and rate("23843") > district


def test_reviews_are_the_statutory_rounds() -> None:
    reviews = {(r.kind, r.year): r for r in Review.objects.filter(area__code=targets.DISTRICT_CODE)}
    assert set(reviews) == {("periodic", 2022), ("regular", 2023), ("periodic", 2023), ("periodic", 2024)}
    assert reviews[("periodic", 2022)].lists_effective_year == 2023
    assert reviews[("periodic", 2022)].reference_date == targets.REVIEW_2022.reference_date
    assert {r.standard_id for r in reviews.values()} == {targets.STANDARD_CODE}
    # After 2023 only the territories of three of today's communes go on: in 2024 the district's round has
    # assessments in their former communes only; from 2025 each new commune holds its own rounds.
    communes = Assessment.objects.filter(review=reviews[("periodic", 2024)]).values_list(
        "commune__code", flat=True
    )
    assert set(communes) == {code for t in targets.TERRITORIES for code in t.legacy_communes}
    assert set(targets.LEGACY_COMMUNES_2026) < set(communes)
    for code in (t.commune for t in targets.TERRITORIES):
        rounds = {
            (r.year, r.standard_id)
            for r in Review.objects.filter(area__code=code, area__level=UnitLevel.COMMUNE)
        }
        assert rounds == {(2025, targets.STANDARD_CODE), (2026, targets.STANDARD_2026)}, code


def test_the_2024_and_2025_rounds_reproduce_their_targets_and_were_decided() -> None:
    """The periodic reviews of 2024 (the former district, before the reform) and 2025 (each of today's communes the
    demo carries on) under NĐ 07: the engine's classes give the targets, each commune's chairman decided the lists,
    and the official lists chain 2024 -> 2025 -> 2026: the statuses in force on 1 January of each list year are the
    lists the round decided."""
    from giamngheo.decisions.models import Decision
    from giamngheo.decisions.status import statuses_on

    rounds = [((targets.DISTRICT_CODE, UnitLevel.DISTRICT), targets.district_2024(),
               {code for t in targets.TERRITORIES for code in t.legacy_communes})]  # fmt: skip
    rounds += [((t.commune, UnitLevel.COMMUNE), t.reviews[1], {t.commune}) for t in targets.TERRITORIES]
    assert (
        targets.district_2024().households
        == sum(t.reviews[0].households for t in targets.TERRITORIES)
        == 7_006
    )
    for (code, level), target, deciders in rounds:
        review = Review.objects.get(kind="periodic", year=target.year, area__code=code, area__level=level)
        assert (review.reference_date, review.lists_effective_year, review.standard_id) == (
            target.reference_date, target.lists_effective_year, targets.STANDARD_CODE
        )  # fmt: skip
        assert review.is_closed_on(NOW.date())
        results = dict(Assessment.objects.filter(review=review).values_list("household_id", "poverty_class"))
        counts = Counter(results.values())
        assert (len(results), counts["ngheo"], counts["can_ngheo"], counts["muc_song_trung_binh"]) == (
            target.households, target.poor, target.near_poor, target.middle
        )  # fmt: skip
        decisions = Decision.objects.filter(review=review, corrects__isnull=True).select_related("commune")
        assert {d.commune.code for d in decisions} == deciders
        assert {d.signed_on for d in decisions} == {target.reference_date.replace(day=20)}
        # The lists in force on 1 January of their year are the round's results (a class off the lists: not poor).
        in_force = statuses_on(results, date(target.lists_effective_year, 1, 1))
        assert {h: in_force[h].status if h in in_force else "khong_ngheo" for h in results} == results
        assert all(row.decision.review_id == review.pk for h, row in in_force.items()
                   if row.valid_from == date(target.lists_effective_year, 1, 1))  # fmt: skip


def test_the_2025_poor_transitions_report_adds_up_in_new_kong_chro() -> None:
    """`giamngheo report dien-bien-ngheo --area 23824 --year 2025 --current`: from the lists the former communes'
    chairmen decided at the end of 2024 to those new Xã Kông Chro's chairman decided at the end of 2025."""
    out = io.StringIO()
    call_command("report", "dien-bien-ngheo", area=targets.COMMUNE_2026, year=2025, current=True, format="json",
                 stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    total = {int(n): v for n, v in data["total"]["values"].items()}
    assert (total[1], total[9]) == (targets.REVIEW_2024.poor, targets.REVIEW_2025.poor)
    for row in [*data["rows"], data["total"]]:
        for basis in ("values", "persons"):
            v = {int(n): count for n, count in row[basis].items()}
            assert v[9] == v[1] - v[2] - v[3] - v[4] + v[5] + v[6] + v[7] + v[8], row["area_code"]


def test_the_2023_poor_transitions_report_explains_5033_to_4336(demo_setup: DemoSetup) -> None:
    """`giamngheo report dien-bien-ngheo --area 630 --year 2023 --format json` (issue 9): from the lists the
    communes' chairmen decided at the end of 2022, the June regular review and the end of 2023."""
    out = io.StringIO()
    call_command("report", "dien-bien-ngheo", area="630", year=2023, format="json", stdout=out)
    data = json.loads(out.getvalue())
    total = {int(n): v for n, v in data["total"]["values"].items()}
    assert (total[1], total[9]) == (targets.REVIEW_2022.poor, targets.REVIEW_2023.poor)
    assert len(data["rows"]) == 14  # the district's legacy communes
    for row in [*data["rows"], data["total"]]:
        for basis in ("values", "persons"):
            v = {int(n): count for n, count in row[basis].items()}
            assert v[9] == v[1] - v[2] - v[3] - v[4] + v[5] + v[6] + v[7] + v[8], row["area_code"]
    assert [sum(row["values"][n] for row in data["rows"]) for n in ("1", "9")] == [total[1], total[9]]
    # The official results of the same lists: the published figures, and the same people.
    out = io.StringIO()
    call_command("report", "ket-qua", area="630", year=2023, stdout=out)
    results = json.loads(out.getvalue())["total"]["values"]
    assert (results["1"], results["3"], results["4"]) == (targets.REVIEW_2023.households, 4_336, "33.78")
    assert results["9"] == data["total"]["persons"]["9"]
    # By the head's ethnicity: each list's three columns add up to its households; most heads are Ba Na or Jrai.
    out = io.StringIO()
    call_command("report", "dan-toc", area="630", year=2023, stdout=out)
    for row in [*json.loads(out.getvalue())["rows"], json.loads(out.getvalue())["total"]]:
        v = {int(n): count for n, count in row["values"].items()}
        assert v[1] == v[2] + v[3] + v[4] and v[5] == v[6] + v[7] + v[8], row["area_code"]
    ethnic = {int(n): count for n, count in json.loads(out.getvalue())["total"]["values"].items()}
    assert (ethnic[1], ethnic[5]) == (4_336, results["5"]) and ethnic[2] > ethnic[3]


def test_the_2023_group_reports_reconcile_with_the_results(demo_setup: DemoSetup) -> None:
    """Forms 8, 12 and 15 for the district (the same 4 336 poor households as form 1), and the town's results by
    village adding up to the town."""
    from giamngheo.decisions.reports import NAMED_LISTS, REPORTS, RESULTS, SUMMARIES, build_report
    from giamngheo.decisions.transitions import POOR

    district = AdminUnit.objects.valid_on(targets.REVIEW_2023.reference_date).get(
        level="district", code="630"
    )
    results = build_report(RESULTS, district, 2023).total.values
    groups = build_report(REPORTS["nhom-doi-tuong"], district, 2023).total.values
    summary = build_report(SUMMARIES[POOR], district, 2023).total.values
    named = build_report(NAMED_LISTS[POOR], district, 2023)
    assert groups[1] == summary[1] == len(named.rows) == results[3] == 4_336
    assert summary[2] == results[9] == named.total.values[4]
    assert [summary[n] for n in (3, 4, 5, 6)] == [groups[n] for n in (2, 3, 4, 5)]
    assert groups[4] > groups[1] // 2  # most heads are Ba Na or Jrai
    town = AdminUnit.objects.valid_on(targets.REVIEW_2023.reference_date).get(level="commune", code="23824")
    by_village = build_report(RESULTS, town, 2023)
    assert by_village.lines == "village" and len(by_village.rows) > 1
    for column in (1, 2, 3, 5, 7, 9):
        assert sum(row.values[column] for row in by_village.rows) == by_village.total.values[column]  # type: ignore[misc]


def test_flow_summary_balances(demo_setup: DemoSetup) -> None:
    from giamngheo.demo.summary import poor_flows

    district = AdminUnit.objects.valid_on(targets.REVIEW_2023.reference_date).get(
        level="district", code="630"
    )
    flows = poor_flows(2023, commune_ids_within(district))
    assert (flows.start, flows.end) == (5_033, 4_336)
    decrease = flows.escaped_to_near_poor + flows.escaped_above + flows.left_other
    increase = flows.from_near_poor + flows.re_poor + flows.newly_arising + flows.new_households
    assert flows.start - decrease + increase == flows.end  # re-poor households included: a partition
    # The households that escaped in June and were poor again at the end were poor at both ends: no column. No
    # household of the demo was on a list before 2023's start, so none is re-poor.
    assert flows.re_poor == 0 and flows.escaped_to_near_poor > flows.escaped_above > 0
    assert flows.describe() in demo_setup.output


def test_the_past_rounds_went_through_the_review_procedure() -> None:
    """Each commune of each decided round held a meeting in every village it surveyed, posted its results for the
    rule's days, consulted the district (until 30/06/2025; the province after, the 2025 round) and got certificates
    for the households it recognised."""
    from giamngheo.decisions.models import (
        Certificate,
        Consultation,
        Decision,
        OfficialStatus,
        Posting,
        VillageMeeting,
    )
    from giamngheo.decisions.procedure import Step, progress

    decisions = list(
        Decision.objects.filter(review__reference_date__lt=NOW.date()).select_related("review", "commune")
    )
    rounds = set(
        Assessment.objects.filter(review__reference_date__lt=NOW.date()).values_list("review", "commune")
    )
    assert {(d.review_id, d.commune_id) for d in decisions} == rounds and len(decisions) == len(rounds)
    for decision in decisions:
        review, commune = decision.review, decision.commune
        surveyed = set(
            Assessment.objects.filter(review=review, commune=commune).values_list("village_id", flat=True)
        )
        met = set(
            VillageMeeting.objects.filter(review=review, commune=commune).values_list("village_id", flat=True)
        )
        assert met == surveyed
        posting = Posting.objects.get(review=review, commune=commune)
        assert posting.ends_on < decision.signed_on
        consultation = Consultation.objects.get(review=review, commune=commune)
        # The district chairman until 30/06/2025, the province after (the rule of the day, `ProcedureRule`).
        assert consultation.authority == (
            "district" if consultation.consulted_on < REFORM_DATE else "province"
        )
        listed = OfficialStatus.objects.filter(decision=decision, status__in=["ngheo", "can_ngheo"]).count()
        assert Certificate.objects.filter(decision=decision).count() == listed
        assert progress(review, commune).step == Step.DONE
