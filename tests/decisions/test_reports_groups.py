"""The reports of the listed households by target group (form 8), their children (11), the summaries of each list
(12, 13), the named lists (14, 15) and a commune's reports by village (`decisions.reports`): the figures, and that
they reconcile with each other and with forms 1-10."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from giamngheo.decisions.reports import (
    CHILDREN,
    ETHNICITY,
    NAMED_LISTS,
    NEAR_POOR_TRANSITIONS,
    POOR_TRANSITIONS,
    REPORTS,
    RESULTS,
    SUMMARIES,
    TARGET_GROUPS,
    Report,
    build_report,
)
from giamngheo.decisions.transitions import NEAR_POOR, POOR
from giamngheo.registry.models import Ethnicity, Household
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Review
from tests.api.conftest import Api
from tests.decisions.helpers import decide
from tests.registry.factories import make_ethnicity, make_household, make_village
from tests.reviews.helpers import open_review

pytestmark = pytest.mark.django_db

# Deprivations on household indicators no recorded fact decides here (no living conditions recorded): the entered
# flags stand, whatever the members' facts decide on the member indicators.
HOUSING = {"chat_luong_nha_o": True, "nguon_nuoc_sinh_hoat": True, "nha_tieu_hop_ve_sinh": True}


def survey(review: Review, results: dict[Household, str]) -> None:
    reviews.assessments_bulk_record(
        [
            reviews.AssessmentInput(
                household,
                date(review.year, 10, 1),
                5_000_000 if result == "khong_ngheo" else 1_000_000,
                entered=HOUSING if result == "ngheo" else {},
            )
            for household, result in results.items()
        ],
        review=review,
        actor=None,
        historical=True,
    )


NEW_REPORTS = (
    "nhom-doi-tuong", "tre-em", "tong-hop-ngheo", "tong-hop-can-ngheo", "danh-sach-ngheo", "danh-sach-can-ngheo"
)  # fmt: skip


@pytest.fixture
def commune(personas: Any) -> Any:
    """Seven households of legacy commune Yang Trung in two villages (and one with no village recorded), through the
    2022 and 2023 periodic reviews:

    - A (Làng Một): poor both years; Ba Na head (a local indigenous group), flagged without working capacity; a
      child of 8 without health insurance, malnourished, not in school; a child of 1 with nothing recorded; a
      member with no birth date.
    - B (Làng Một): near-poor, then poor; Kinh head who served the revolution; a child of 13 in school, insured; a
      member who turns 16 on 1 January 2024 (not a child then).
    - C (Làng Hai): poor, then near-poor; Mường head; both members recorded as unable to work; flagged with a
      meritorious member.
    - D (no village): poor both years, no members recorded.
    - E (Làng Hai): not poor; a child (not counted anywhere).
    - F (Làng Hai): near-poor both years; Kinh head; a child of 11 with insurance and schooling not recorded.
    - G: near-poor in Làng Một at the end of 2022, then moved to Làng Hai and poor at the end of 2023.
    """
    units = personas.units
    yang_trung = units["yang_trung"]
    one = make_village(yang_trung, name="Làng Một", local_code="01")
    two = make_village(yang_trung, name="Làng Hai", local_code="02")
    ba_na, kinh = make_ethnicity("Ba Na"), make_ethnicity("Kinh", code="01")
    muong = make_ethnicity("Mường", code="06")
    Ethnicity.objects.filter(pk=ba_na.pk).update(is_local_indigenous=True)

    def household(code: str, village: Any, members: list[dict[str, Any]]) -> Household:
        return make_household(commune=yang_trung, village=village, code=code, members=members)

    a = household("YT-A", one, [
        {"full_name": "Đinh Văn A", "birth_date": date(1980, 2, 1), "ethnicity": ba_na, "able_to_work": True},
        {"birth_date": date(2015, 5, 1), "has_health_insurance": False, "malnourished": True, "in_education": False},
        {"birth_date": date(2022, 3, 1), "start_date": date(2022, 3, 1)},
        {"birth_date": None},
    ])  # fmt: skip
    b = household("YT-B", one, [
        {"full_name": "Nguyễn Văn B", "birth_date": date(1970, 1, 1), "ethnicity": kinh,
         "has_meritorious_service": True},
        {"birth_date": date(2010, 6, 1), "has_health_insurance": True, "malnourished": False, "in_education": True},
        {"birth_date": date(2008, 1, 1), "has_health_insurance": False},
    ])  # fmt: skip
    c = household("YT-C", two, [
        {"full_name": "Bùi Văn C", "birth_date": date(1950, 1, 1), "ethnicity": muong, "able_to_work": False},
        {"birth_date": date(1952, 1, 1), "able_to_work": False, "relationship": "spouse"},
    ])  # fmt: skip
    d = household("YT-D", None, [])
    e = household("YT-E", two, [
        {"full_name": "Trần Văn E", "birth_date": date(1990, 1, 1), "ethnicity": kinh},
        {"birth_date": date(2016, 1, 1), "has_health_insurance": False},
    ])  # fmt: skip
    f = household("YT-F", two, [
        {"full_name": "Lê Văn F", "birth_date": date(1985, 1, 1), "ethnicity": kinh, "able_to_work": True},
        {"birth_date": date(2012, 9, 1), "malnourished": False},
    ])  # fmt: skip
    g = household(
        "YT-G", one, [{"full_name": "Đinh Thị G", "birth_date": date(1990, 1, 1), "ethnicity": ba_na}]
    )
    Household.objects.filter(pk=a.pk).update(no_working_capacity=True)
    Household.objects.filter(pk=c.pk).update(has_meritorious_member=True)
    first = open_review(units["district"], year=2022, reference_date=date(2022, 12, 14))
    survey(first, {a: "ngheo", b: "can_ngheo", c: "ngheo", d: "ngheo", e: "khong_ngheo", f: "can_ngheo",
                   g: "can_ngheo"})  # fmt: skip
    decide(first, yang_trung, date(2022, 12, 20))
    Household.objects.filter(pk=g.pk).update(village=two)
    g.refresh_from_db()
    second = open_review(units["district"], year=2023, reference_date=date(2023, 12, 14))
    survey(second, {a: "ngheo", b: "ngheo", c: "can_ngheo", d: "ngheo", e: "khong_ngheo", f: "can_ngheo",
                    g: "ngheo"})  # fmt: skip
    decide(second, yang_trung, date(2023, 12, 20))
    return personas


def values(report: Report) -> dict[int, Any]:
    return report.total.values


def column_sums_match(report: Report, columns: range) -> bool:
    return all(sum(row.values[n] for row in report.rows) == report.total.values[n] for n in columns)  # type: ignore[misc]


def test_the_lists_are_as_the_scenario_says(commune: Any) -> None:
    results = values(build_report(RESULTS, commune.units["district"], 2023))
    assert (results[3], results[5]) == (4, 2)  # A, B, D, G poor; C, F near-poor


def test_the_target_groups_of_each_list(commune: Any) -> None:
    area = commune.units["district"]
    report = build_report(TARGET_GROUPS, area, 2023)
    # Poor: A without working capacity (flagged), B meritorious (its head), A's and G's heads Ba Na (minority,
    # DTTC). Near-poor: C without working capacity (both members unable) and meritorious (flagged), its head Mường
    # (a minority, not DTTC).
    assert values(report) == {1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 1, 8: 1, 9: 1, 10: 0}
    results = values(build_report(RESULTS, area, 2023))
    ethnic = values(build_report(ETHNICITY, area, 2023))
    assert (values(report)[1], values(report)[6]) == (results[3], results[5])
    assert all(values(report)[n] <= results[3] for n in range(2, 6))
    assert all(values(report)[n] <= results[5] for n in range(7, 11))
    assert (values(report)[4], values(report)[9]) == (ethnic[2], ethnic[6])  # the heads of an ethnic minority
    assert any("hỗ trợ" in note for note in report.notes)  # the support columns have no data yet


def test_the_children_of_each_list(commune: Any) -> None:
    report = build_report(CHILDREN, commune.units["district"], 2023)
    # Poor: A's two children and B's child of 13 (B's member born 1 January 2008 is 16 on 1 January 2024); A's
    # child of 8 uninsured, malnourished and out of school; its child of 1 unrecorded, too young for school.
    # Near-poor: F's child, nothing recorded but nutrition. E's child is not on a list.
    assert values(report) == {1: 3, 2: 1, 3: 1, 4: 1, 5: 1, 6: 0, 7: 0, 8: 0}
    notes = " ".join(report.notes)
    assert "1 thành viên chưa ghi ngày sinh" in notes
    assert "2 trẻ em chưa ghi bảo hiểm y tế, 1 trẻ em chưa ghi tình trạng dinh dưỡng, 1 trẻ em" in notes


def test_the_summaries_are_the_sums_of_the_other_reports(commune: Any) -> None:
    area = commune.units["district"]
    results = values(build_report(RESULTS, area, 2023))
    groups = values(build_report(TARGET_GROUPS, area, 2023))
    children = values(build_report(CHILDREN, area, 2023))
    for listed, base, results_column, child_column in ((POOR, 1, 3, 1), (NEAR_POOR, 6, 5, 5)):
        summary = build_report(SUMMARIES[listed], area, 2023)
        deprivations = values(build_report(REPORTS[f"thieu-hut-{'ngheo' if listed == POOR else 'can-ngheo'}"],
                                           area, 2023))  # fmt: skip
        total = values(summary)
        assert (total[1], total[2]) == (results[results_column], results[results_column + 6])
        assert [total[n] for n in (3, 4, 5, 6)] == [groups[base + n] for n in (1, 2, 3, 4)]
        assert total[7] == deprivations[2] and total[8] == children[child_column]
        assert column_sums_match(summary, range(1, 9))


def test_the_named_lists_have_a_line_per_listed_household(commune: Any) -> None:
    area = commune.units["district"]
    results = values(build_report(RESULTS, area, 2023))
    poor = build_report(NAMED_LISTS[POOR], area, 2023)
    # By commune, village (Làng Một, Làng Hai, then no village) and code.
    assert [row.values[1] for row in poor.rows] == ["YT-A", "YT-B", "YT-G", "YT-D"]
    assert len(poor.rows) == results[3] and poor.total.values[4] == results[9]
    first = poor.rows[0]
    assert first.area_code == "23845" and first.household == Household.objects.get(code="YT-A").pk
    assert [first.values[n] for n in (2, 3, 4, 5)] == ["Đinh Văn A", "Làng Một", 4, "Ba Na"]
    assert poor.rows[3].values[3] == "" and poor.rows[3].values[5] == ""  # no village, no head recorded
    deprivations = values(build_report(REPORTS["thieu-hut-ngheo"], area, 2023))
    assert sum(row.values[6] for row in poor.rows) == poor.total.values[6] == deprivations[2]  # type: ignore[misc]
    near = build_report(NAMED_LISTS[NEAR_POOR], area, 2023)
    assert [row.values[1] for row in near.rows] == ["YT-C", "YT-F"] and len(near.rows) == results[5]
    data = poor.to_json()
    assert data["lines"] == "household" and data["rows"][0]["household_id"] == first.household
    assert data["rows"][0]["area_code"] == "23845" and data["rows"][0]["values"]["1"] == "YT-A"


def test_a_communes_reports_have_a_line_per_village(commune: Any) -> None:
    yang_trung = commune.units["yang_trung"]
    villages = ["Làng Một", "Làng Hai", "Chưa ghi thôn"]
    for name in ("ket-qua", "thieu-hut-ngheo", "nguyen-nhan-ngheo", "dan-toc", "nhom-doi-tuong", "tre-em",
                 "tong-hop-ngheo", "tong-hop-can-ngheo"):  # fmt: skip
        report = build_report(REPORTS[name], yang_trung, 2023)
        assert report.lines == "village", name
        names = [row.village_name for row in report.rows]
        assert names == [village for village in villages if village in names], name
        assert report.row_labels() == names
        counts = [n for n, _title in report.columns if report.total.values[n] is not None]
        assert all(
            sum(row.values[n] for row in report.rows) == report.total.values[n]  # type: ignore[misc]
            for n in counts
            if name != "ket-qua" or n not in (4, 6, 8, 10, 12, 14)  # the rates
        ), name
    results = build_report(RESULTS, yang_trung, 2023)
    assert [row.village_name for row in results.rows] == villages
    assert [row.values[1] for row in results.rows] == [2, 4, 1]  # A, B | C, E, F, G | D
    assert results.to_json()["rows"][0]["village_code"] == "01"
    assert results.to_json()["rows"][2]["village_code"] is None
    # A district's reports keep one line per commune.
    assert build_report(RESULTS, commune.units["district"], 2023).lines == "commune"


def test_the_transitions_of_each_village_add_up(commune: Any) -> None:
    """G moved from Làng Một (near-poor) to Làng Hai (poor): a decrease of the one and an increase of the other on
    the village lines, near-poor → poor in the total."""
    report = build_report(POOR_TRANSITIONS, commune.units["yang_trung"], 2023)
    lines = {row.village_name: row.values for row in report.rows}
    assert lines["Làng Một"] == {
        1: 1,
        2: 0,
        3: 0,
        4: 0,
        5: 1,
        6: 0,
        7: 0,
        8: 0,
        9: 2,
    }  # A stays, B near → poor
    assert lines["Làng Hai"] == {
        1: 1,
        2: 1,
        3: 0,
        4: 0,
        5: 0,
        6: 0,
        7: 0,
        8: 1,
        9: 1,
    }  # C poor → near, G moved in
    assert lines["Chưa ghi thôn"] == {1: 1, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 1}  # D stays
    assert report.total.values == {1: 3, 2: 1, 3: 0, 4: 0, 5: 2, 6: 0, 7: 0, 8: 0, 9: 4}
    for kind in (POOR_TRANSITIONS, NEAR_POOR_TRANSITIONS):
        report = build_report(kind, commune.units["yang_trung"], 2023)
        for row in [*report.rows, report.total]:
            for basis in (row.values, row.persons or {}):
                v: dict[int, int] = basis  # type: ignore[assignment]
                assert v[9] == v[1] - v[2] - v[3] - v[4] + v[5] + v[6] + v[7] + v[8]
        assert all(sum(row.values[n] for row in report.rows) == report.total.values[n] for n in (1, 9))  # type: ignore[misc]
        assert any("giữa các thôn" in note for note in report.notes)
    near = {row.village_name: row.values for row in build_report(NEAR_POOR_TRANSITIONS, commune.units["yang_trung"],
                                                                    2023).rows}  # fmt: skip
    assert near["Làng Một"][4] == 1  # G left Làng Một's near-poor list


def test_every_new_report_through_the_command(commune: Any, tmp_path: Any) -> None:
    out = io.StringIO()
    call_command("report", list=True, stdout=out)
    listed = dict(line.split("\t") for line in out.getvalue().splitlines())
    assert set(NEW_REPORTS) <= set(listed)
    assert listed["danh-sach-ngheo"] == "Danh sách chi tiết hộ nghèo"
    for name in NEW_REPORTS:
        for area in ("630", "23845"):
            text = io.StringIO()
            call_command("report", name, area=area, year=2023, format="json", stdout=text)
            data = json.loads(text.getvalue())
            assert data["report"] == name and data["rows"], (name, area)
            path = tmp_path / f"{name}-{area}.xlsx"
            call_command("report", name, area=area, year=2023, format="xlsx", output=str(path))
            cells = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
            assert any(row[1] == "Tổng cộng" for row in cells), (name, area)
    path = tmp_path / "list.xlsx"
    call_command("report", "danh-sach-ngheo", area="23845", year=2023, format="xlsx", output=str(path))
    rows = [
        row
        for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)
        if row[0] in (1, 2, 3, 4)
    ]
    assert [row[2] for row in rows] == ["YT-A", "YT-B", "YT-G", "YT-D"] and rows[0][3] == "Đinh Văn A"
    path = tmp_path / "villages.xlsx"
    call_command("report", "ket-qua", area="23845", year=2023, format="xlsx", output=str(path))
    labels = [
        row[1]
        for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)
        if row[0] in (1, 2, 3)
    ]
    assert labels == ["Làng Một", "Làng Hai", "Chưa ghi thôn"]


def page(client: Client, user: Any, **params: Any) -> Any:
    client.force_login(user)
    return client.get(reverse("web:reports"), params)


def test_the_new_reports_on_the_page(client: Client, commune: Any, monkeypatch: Any) -> None:
    area = commune.units["yang_trung"].pk
    for name in NEW_REPORTS:
        response = page(client, commune.province, bao_cao=name, area=area, nam=2023)
        assert response.status_code == 200 and REPORTS[name].title in response.content.decode(), name
        as_json = page(client, commune.province, bao_cao=name, area=area, nam=2023, dinh_dang="json").json()
        assert as_json == build_report(REPORTS[name], commune.units["yang_trung"], 2023).to_json()
        printed = page(client, commune.province, bao_cao=name, area=area, nam=2023, **{"in": "1"})
        assert "NGƯỜI LẬP BIỂU" in printed.content.decode()
        excel = page(client, commune.province, bao_cao=name, area=area, nam=2023, dinh_dang="xlsx")
        assert excel["Content-Disposition"].startswith(f'attachment; filename="{name}-23845-2023.xlsx"')
    text = page(client, commune.province, bao_cao="ket-qua", area=area, nam=2023).content.decode()
    assert '<th scope="row">Làng Một</th>' in text and '<th scope="row">Chưa ghi thôn</th>' in text
    # A named list is shown a page at a time; the download has every household.
    monkeypatch.setattr("giamngheo.web.reports.PAGE_SIZE", 3)
    first = page(client, commune.province, bao_cao="danh-sach-ngheo", area=area, nam=2023).content.decode()
    assert "YT-A" in first and "YT-G" in first and "YT-D" not in first and "Trang 1/2" in first
    second = page(client, commune.province, bao_cao="danh-sach-ngheo", area=area, nam=2023, trang=2)
    body = second.content.decode().replace("\n", "")
    assert "YT-D" in body and "YT-A" not in body and "<tr><td>4</td>" in body
    whole = page(client, commune.province, bao_cao="danh-sach-ngheo", area=area, nam=2023, dinh_dang="json")
    assert len(whole.json()["rows"]) == 4


def test_the_new_reports_through_the_api(commune: Any) -> None:
    api = Api(commune)
    names = [kind["name"] for kind in api.get("province", "/api/reports").json()]
    assert set(NEW_REPORTS) <= set(names)
    for name in NEW_REPORTS:
        response = api.get("province", f"/api/reports/{name}", area="630", year=2023)
        assert response.status_code == 200
        assert response.json() == build_report(REPORTS[name], commune.units["district"], 2023).to_json()
    assert api.get("outsider", "/api/reports/danh-sach-ngheo", area="630", year=2023).status_code == 404
