"""A whole periodic round through the API (`giamngheo.api.procedure`), with personas: the progress by village, each
step, the decision and the certificates; other areas are a 404, other roles a 403, a step out of order a 422 naming
what is missing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import Api
from tests.decisions.helpers import PDF, record

pytestmark = pytest.mark.django_db


def meeting(api: Api, name: str, path: str, village: Any, **values: Any) -> Any:
    form = {"held_on": "2026-11-05", "attendees": 20, "agreeing": 15, "chair": "Trưởng thôn", "secretary": "Thư ký",
            "minutes": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"), **values}  # fmt: skip
    if village is not None:
        form["village_id"] = village.pk
    return api.client.post(path, form, headers=api._headers(name))


def test_a_periodic_round_through_the_api(commune_2026: Any) -> None:
    personas, commune, (to_mo, hra), h, _first, second = commune_2026
    api = Api(personas)
    base = f"/api/rounds/{second.pk}/communes/{commune.pk}"
    assert api.get("peer", base + "/procedure").status_code == 404
    state = api.get("owner", base + "/procedure").json()
    assert state["step"] == "survey" and {v["village_name"]: v["to_review"] for v in state["villages"]} == {
        "Làng Hra": 1, "Làng Tơ Mơ": 2
    }  # fmt: skip

    # A request at the office (Mẫu 01) for P-5, not listed: it joins the open periodic round.
    body = {"household_id": h["P-5"].pk, "form": "01", "channel": "office", "received_on": "2026-10-02"}
    assert api.post("viewer", "/api/procedure/requests", body).status_code == 403
    created = api.post("owner", "/api/procedure/requests", body)
    assert created.status_code == 201 and created.json()["review_id"] == second.pk
    record(second, {h["P-1"]: "ngheo", h["P-2"]: "ngheo", h["P-3"]: "can_ngheo", h["P-5"]: "khong_ngheo"})

    refused = meeting(api, "owner", base + "/meetings", to_mo, returns="P-1: 3\nkhông đúng")
    assert refused.status_code == 422 and "Dòng 2: «không đúng» không đúng dạng" in refused.json()["message"]
    refused = meeting(api, "owner", base + "/meetings", to_mo, returns="P-9: 3")
    assert refused.status_code == 422 and "Dòng 1: không tìm thấy hộ P-9" in refused.json()["message"]
    bad_file = meeting(api, "owner", base + "/meetings", to_mo,
                       minutes=SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf"))  # fmt: skip
    assert bad_file.status_code == 422 and "không phải PDF" in bad_file.json()["message"]
    assert meeting(api, "viewer", base + "/meetings", to_mo).status_code == 403
    assert meeting(api, "owner", base + "/meetings", to_mo, returns="P-2: 5").status_code == 201
    villages = {
        v["village_name"]: v["state"] for v in api.get("owner", base + "/procedure").json()["villages"]
    }
    assert villages == {"Làng Tơ Mơ": "survey", "Làng Hra": "meeting", "(chưa ghi thôn)": "meeting"}
    record(second, {h["P-2"]: "can_ngheo"})
    for village in (to_mo, hra, None):
        assert meeting(api, "owner", base + "/meetings", village, held_on="2026-11-06").status_code == 201

    early = api.post("owner", base + "/consultation", {"consulted_on": "2026-11-07", "reference": "BC-1"})
    assert early.status_code == 422 and "chưa được niêm yết" in early.json()["message"]
    assert (
        api.post("owner", base + "/posting", {"starts_on": "2026-11-07", "places": "UBND xã"}).status_code
        == 201
    )
    complaint = api.post("owner", base + "/complaints", {"household_id": h["P-3"].pk, "complainant": "Đinh Văn C",
                                                         "received_on": "2026-11-09", "content": "Xin xem lại"})  # fmt: skip
    assert complaint.status_code == 201
    recheck = f"/api/procedure/complaints/{complaint.json()['id']}/recheck"
    assert (
        api.post("peer", recheck, {"checked_on": "2026-11-10", "upheld": False, "finding": "x"}).status_code
        == 404
    )
    done = api.post(
        "owner", recheck, {"checked_on": "2026-11-10", "upheld": False, "finding": "Kết quả đúng"}
    )
    assert done.status_code == 201
    assert api.post("province", base + "/consultation", {"consulted_on": "2026-11-15", "reference": "CV-77/SNN",
                                                         "opinion": "Thống nhất"}).status_code == 201  # fmt: skip
    state = api.get("province", base + "/procedure").json()
    assert (state["step"], state["consultation_authority"], state["posting_ends_on"]) == (
        "decision", "province", "2026-11-13"
    )  # fmt: skip

    decision = api.post("owner", "/api/decisions", {"review_id": second.pk, "commune_id": commune.pk,
                                                    "number": "9/QĐ-UBND", "signed_on": "2026-11-16",
                                                    "signer": "Chủ tịch UBND xã"})  # fmt: skip
    assert decision.status_code == 201, decision.json()
    issued = api.post("owner", base + "/certificates", {"issued_on": "2026-11-17"})
    assert issued.status_code == 201
    assert [(c["number"], c["status"]) for c in issued.json()] == [("Số 01/GCN-HN.HCN", "can_ngheo")]  # P-3
    state = api.get("owner", base + "/procedure").json()
    [request] = state["requests"]
    assert (request["household_code"], request["outcome"]) == ("P-5", "to_refuse")
    refusal = api.post("owner", f"/api/procedure/requests/{request['id']}/refusal",
                       {"number": "12/UBND", "issued_on": "2026-11-17", "signer": "Chủ tịch UBND xã",
                        "reasons": "Thu nhập trên chuẩn cận nghèo."})  # fmt: skip
    assert refusal.status_code == 201
    assert api.get("owner", base + "/procedure").json()["step"] == "done"
