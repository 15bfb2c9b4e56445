"""Targets, actuals and progress through the API and the pages, with personas: the commune officer writes its
commune, the peer commune's officer sees a 404, the viewer reads and gets a 403 on a write, the province reads
its communes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.goals.models import ActualEntry, Target
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_targets_actuals_and_progress_through_the_api(personas: Any) -> None:
    api = Api(personas)
    commune = personas.units["new_commune"]
    body = {"indicator_code": "rural_jobs", "area_id": commune.pk, "year": 2026, "value": "825",
            "document_number": "05/KH-UBND"}  # fmt: skip
    assert api.post("peer", "/api/goals/targets", body).status_code == 404
    assert api.post("viewer", "/api/goals/targets", body).status_code == 403
    created = api.post("owner", "/api/goals/targets", body)
    assert created.status_code == 201, created.json()
    assert created.json()["wording"] == "từ 825 người trở lên"
    stale = api.post("owner", "/api/goals/targets", {**body, "value": "900"})
    assert stale.status_code == 409 and stale.json()["latest_id"] == created.json()["id"]
    corrected = api.post(
        "province", "/api/goals/targets",
        {**body, "value": "900", "expected_latest_id": created.json()["id"], "reason": "Điều chỉnh kế hoạch"},
    )  # fmt: skip
    assert corrected.status_code == 201 and Target.objects.count() == 2

    actual = {"indicator_code": "rural_jobs", "area_id": commune.pk, "year": 2026, "value": "850",
              "as_of": "2026-10-31", "source_note": "Báo cáo 10 tháng"}  # fmt: skip
    assert api.post("owner", "/api/goals/actuals", actual).status_code == 201
    assert [row["value"] for row in api.get("viewer", "/api/goals/actuals", area_id=commune.pk, year=2026).json()] == [
        "850.00"
    ]  # fmt: skip
    progress = api.get("province", "/api/goals/progress", area_id=commune.pk, year=2026)
    assert progress.status_code == 200
    jobs = next(row for row in progress.json() if row["indicator_code"] == "rural_jobs")
    assert (jobs["target"]["value"], jobs["actual"]["value"], jobs["met"]) == ("900.00", "850.00", False)
    assert api.get("peer", "/api/goals/progress", area_id=commune.pk, year=2026).status_code == 404
    assert api.get("unbound", "/api/goals/targets", area_id=commune.pk, year=2026).status_code == 404
    assert len(api.get("viewer", "/api/goals/indicators").json()) >= 7


def test_the_goals_pages_and_the_dashboard(client: Client, personas: Any) -> None:
    commune = personas.units["new_commune"]
    page_url = f"{reverse('web:goals')}?area={commune.pk}&nam=2026"
    target_url = reverse("web:goal-target", args=[commune.pk, 2026, "rural_jobs"])
    actual_url = reverse("web:goal-actual", args=[commune.pk, 2026, "rural_jobs"])

    client.force_login(personas.owner)
    page = client.get(reverse("web:goals")).content.decode()  # the account's own area, this year
    assert "Số lao động nông thôn được giải quyết việc làm" in page and target_url in page
    response = client.post(target_url, {"value": "825", "document_number": "05/KH-UBND", "document_date": ""})
    assert response.status_code == 302
    response = client.post(
        actual_url, {"value": "830", "as_of": "31/10/2026", "source_note": "Báo cáo 10 tháng"}
    )
    assert response.status_code == 302
    page = client.get(page_url).content.decode()
    assert "từ 825 người trở lên" in page and "830 người" in page and "Đạt" in page
    stale = client.post(
        actual_url, {"value": "840", "as_of": "31/10/2026", "source_note": "x", "reason": "y"}
    )
    assert stale.status_code == 200 and "sau khi bạn mở" in stale.content.decode()
    assert ActualEntry.objects.count() == 1
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert "Tiến độ chỉ tiêu năm 2026" in dashboard and "từ 825 người trở lên" in dashboard
    assert reverse("web:goals") in dashboard and reverse("web:commendations") in dashboard

    client.force_login(personas.peer)
    assert client.get(page_url).status_code == 404
    assert client.get(target_url).status_code == 404
    client.force_login(personas.viewer)
    page = client.get(page_url).content.decode()
    assert "830 người" in page and target_url not in page
    assert client.post(target_url, {"value": "1", "document_number": "1"}).status_code == 403
    client.force_login(personas.province)
    assert "830 người" in client.get(page_url).content.decode()
