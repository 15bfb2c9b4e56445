"""The review procedure's pages (`web.procedure`) with personas: the `town` fixture's 2023 round walked step by step
through the pages, from a request received at the office to the certificates and the written refusal; the
printable posting list names only the head and the village; other areas see a 404, other roles get a 403."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.areas.models import Village
from giamngheo.decisions import documents, procedure
from giamngheo.decisions.models import (
    Certificate,
    Complaint,
    Consultation,
    Decision,
    HouseholdRequest,
    Posting,
    Recheck,
    RequestRefusal,
    VillageMeeting,
)
from giamngheo.decisions.procedure import parse_returns
from giamngheo.reviews.models import Assessment
from giamngheo.reviews.services import assessment_correct
from tests.decisions.helpers import survey
from tests.registry.factories import make_household, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
HEAD_ID, HEAD_BORN = "064080009999", date(1975, 4, 2)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def minutes(content: bytes = PDF, name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def resurvey(review: Any, household: Any, reason: str) -> None:
    """Survey a household of a closed round again (a correction: a newer result in the same round)."""
    in_force = Assessment.objects.get(review=review, household=household, superseded=False)
    assessment_correct(assessment=in_force, actor=None, reason=reason)


@pytest.fixture
def world(town: Any) -> Any:
    """The `town` fixture's 2023 round with a fifth household in a village of its own (Thôn Hai): a head with a
    citizen ID and a birth date, and a child; and a village reviewer of Thôn Hai."""
    personas, households, _first, second, _decided = town
    commune = personas.units["town"]
    village = Village.objects.create(commune=commune, local_code="02", name="Thôn Hai")
    family = make_household(
        commune=commune, village=village, code="H-THONHAI",
        members=[
            {"full_name": "Đinh Thị Hai", "sex": "nu", "citizen_id": HEAD_ID, "birth_date": HEAD_BORN},
            {"full_name": "Đinh Văn Ba", "birth_date": date(2001, 5, 6), "relationship": "child"},
        ],
    )  # fmt: skip
    survey(second, {family: "ngheo"})
    reviewer = make_user("thon.hai")
    area_role_assign(user=reviewer, role=Role.VILLAGE, area=personas.units["new_commune"], villages=[village])
    return personas, households, second, commune, village, family, reviewer


def test_parse_returns_names_each_bad_line() -> None:
    assert parse_returns("H-1: 3\n\n  H-2 :0  \n") == [(1, "H-1", 3), (3, "H-2", 0)]
    with pytest.raises(ValidationError) as caught:
        parse_returns("H-1: 3\nH-2 ba\n: 4\nH-3: nhiều\nH-1: 2")
    assert caught.value.messages == [
        "Dòng 2: «H-2 ba» không đúng dạng «mã hộ: số người đồng ý».",
        "Dòng 3: thiếu mã hộ trước dấu hai chấm.",
        "Dòng 4: «nhiều» không phải số người đồng ý (một số nguyên từ 0 trở lên).",
        "Dòng 5: hộ H-1 đã ghi ở dòng 1.",
    ]


def test_a_periodic_round_walked_through_the_pages(client: Client, world: Any) -> None:
    personas, (h1, h2, _h3, h4), second, commune, village, family, reviewer = world
    page_url = reverse("web:procedure", args=[second.pk, commune.pk])
    village_0 = reverse("web:procedure-meeting", args=[second.pk, commune.pk, 0])
    village_2 = reverse("web:procedure-meeting", args=[second.pk, commune.pk, village.pk])
    as_user(client, personas.owner)

    # A request received at the office goes to the round open that day.
    requests_url = reverse("web:procedure-requests")
    refused = client.post(requests_url, {"household_code": "KHONG-CO", "form": "01", "channel": "office",
                                         "received_on": "05/10/2023"})  # fmt: skip
    assert "Không tìm thấy hộ KHONG-CO trên địa bàn của bạn." in refused.content.decode()
    response = client.post(requests_url, {"household_code": h2.code, "form": "01", "channel": "office",
                                          "received_on": "05/10/2023", "applicant": "Nguyễn Thị Bé"})  # fmt: skip
    assert response.status_code == 302
    request = HouseholdRequest.objects.get(household=h2)
    assert (request.review, request.commune, request.recorded_by) == (second, commune, personas.owner)
    assert h2.code in client.get(requests_url).content.decode()

    # The dashboard: both villages wait for their meeting; links to the meeting forms, none to the decision.
    page = client.get(page_url).content.decode()
    assert "Họp dân thống nhất kết quả" in page
    assert village_0 in page and village_2 in page
    assert reverse("web:decision-form", args=[second.pk, commune.pk]) not in page
    assert reverse("web:decisions") in page

    # The meeting of the households without a village: the minutes must be a real PDF (or image).
    meeting = {"held_on": "20/10/2023", "attendees": "20", "agreeing": "15", "chair": "Trưởng thôn",
               "secretary": "Thư ký"}  # fmt: skip
    page = client.get(village_0).content.decode()
    assert 'enctype="multipart/form-data"' in page and h1.code in page
    response = client.post(village_0, {**meeting, "minutes": minutes(b"bien ban cuoc hop\n", "bien-ban.pdf")})
    assert response.status_code == 200
    assert "Tệp biên bản bien-ban.pdf không phải PDF, JPEG hay PNG." in response.content.decode()
    response = client.post(village_0, meeting)
    assert (
        response.status_code == 200 and not VillageMeeting.objects.filter(review=second).exists()
    )  # no file: refused by the form
    response = client.post(village_0, {**meeting, "minutes": minutes(), "returns": f"{h1.code} ba người"})
    assert (
        "Dòng 1: «" in response.content.decode() and not VillageMeeting.objects.filter(review=second).exists()
    )
    response = client.post(village_0, {**meeting, "minutes": minutes(), "returns": f"{h1.code}: 3"})
    assert response.status_code == 302 and response["Location"] == page_url
    first_meeting = VillageMeeting.objects.get(review=second, village=None)
    assert list(first_meeting.returns.values_list("household", "agreeing")) == [(h1.pk, 3)]
    page = client.get(page_url).content.decode()
    assert "Họp dân chưa thống nhất: rà soát lại" in page

    # The village reviewer records the meeting of their village only.
    as_user(client, reviewer)
    assert client.get(village_0).status_code == 403
    assert client.post(village_0, {**meeting, "minutes": minutes()}).status_code == 403
    page = client.get(page_url).content.decode()
    assert village_2 in page and village_0 not in page and 'name="action"' not in page
    response = client.post(village_2, {**meeting, "chair": "Trưởng Thôn Hai", "minutes": minutes()})
    assert response.status_code == 302
    assert VillageMeeting.objects.get(review=second, village=village).recorded_by == reviewer

    # The returned household is surveyed again, and the village meets again.
    as_user(client, personas.owner)
    resurvey(second, h1, "Rà soát lại theo họp dân")
    assert village_0 in client.get(page_url).content.decode()
    response = client.post(village_0, {**meeting, "held_on": "22/10/2023", "minutes": minutes()})
    assert response.status_code == 302
    assert procedure.progress(second, commune).villages_agreed

    # The minutes: an attachment, for the commune's readers only.
    download = client.get(reverse("web:procedure-minutes", args=[first_meeting.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]

    # The posting list names only the head and the village: no ID number, no birth date.
    posting_list = reverse("web:procedure-posting-list", args=[second.pk, commune.pk])
    listed = client.get(posting_list).content.decode()
    assert "Đinh Thị Hai" in listed and "Thôn Hai" in listed and "Kông Chro" in listed
    assert HEAD_ID not in listed and "02/04/1975" not in listed and "1975" not in listed
    assert "Danh sách hộ nghèo" in listed and "Danh sách hộ thoát nghèo" in listed

    # A viewer sees the round but takes no step.
    as_user(client, personas.viewer)
    page = client.get(page_url).content.decode()
    assert 'name="action"' not in page
    posting = {"action": "posting", "posting-starts_on": "25/10/2023", "posting-places": "Nhà văn hoá"}
    assert client.post(page_url, posting).status_code == 403
    assert not Posting.objects.filter(review=second).exists()

    # The posting.
    as_user(client, personas.owner)
    assert 'value="posting"' in client.get(page_url).content.decode()
    assert client.post(page_url, posting).status_code == 302
    assert Posting.objects.get(review=second).ends_on == date(2023, 10, 31)
    listed = client.get(posting_list).content.decode()
    assert "25/10/2023" in listed and "Nhà văn hoá" in listed

    # A complaint during the posting, upheld once the household was surveyed again.
    complaint = {"action": "complaint", "complaint-household_code": h4.code, "complaint-complainant": "Trần Văn C",
                 "complaint-received_on": "27/10/2023", "complaint-content": "Hộ có xe ô tô."}  # fmt: skip
    response = client.post(page_url, {**complaint, "complaint-received_on": "02/11/2023"})
    assert "ngoài thời gian niêm yết" in response.content.decode()
    assert client.post(page_url, complaint).status_code == 302
    item = Complaint.objects.get()
    recheck = {"action": f"recheck:{item.pk}", f"recheck-{item.pk}-checked_on": "02/11/2023",
               f"recheck-{item.pk}-upheld": "1", f"recheck-{item.pk}-finding": "Chấm lại điểm thu nhập."}  # fmt: skip
    response = client.post(page_url, recheck)
    assert "hãy rà soát lại hộ" in response.content.decode() and not Recheck.objects.exists()
    resurvey(second, h4, "Phúc tra khiếu nại")
    assert client.post(page_url, recheck).status_code == 302
    assert Recheck.objects.get().upheld

    # The consultation of the authority of the day (the district chairman in 2023): province staff may record it
    # too, but take none of the commune's own steps.
    page = as_user(client, personas.province).get(page_url).content.decode()
    assert 'value="consultation"' in page and 'value="complaint"' not in page
    as_user(client, personas.owner)
    page = client.get(page_url).content.decode()
    assert (
        "Xin ý kiến cấp trên" in page and "Chủ tịch UBND cấp huyện" in page and 'value="consultation"' in page
    )
    consult = {"action": "consultation", "consultation-consulted_on": "10/11/2023",
               "consultation-reference": "BC-15/UBND", "consultation-opinion": "Thống nhất."}  # fmt: skip
    assert client.post(page_url, consult).status_code == 302
    assert Consultation.objects.get(review=second).authority == "district"

    # The decision, through the decisions page's own form.
    page = client.get(page_url).content.decode()
    form_url = reverse("web:decision-form", args=[second.pk, commune.pk])
    assert form_url in page
    decided = {"number": "17/QĐ-UBND", "signed_on": "15/11/2023", "signer": "Nguyễn Văn A"}
    assert client.post(form_url, decided).status_code == 302
    decision = Decision.objects.get(review=second, commune=commune)

    # The certificates.
    page = client.get(page_url).content.decode()
    assert 'value="certificates"' in page
    response = client.post(page_url, {"action": "certificates", "certificates-issued_on": "10/11/2023"})
    assert "Ngày cấp trước ngày ký quyết định" in response.content.decode()
    assert (
        client.post(page_url, {"action": "certificates", "certificates-issued_on": "20/11/2023"}).status_code
        == 302
    )
    certificates = {c.household_id: c for c in Certificate.objects.filter(decision=decision)}
    assert h1.pk not in certificates and {h2.pk, h4.pk, family.pk} <= set(certificates)
    certificate = certificates[family.pk]
    pdf_url = reverse("web:procedure-certificate", args=[certificate.pk])
    assert pdf_url in client.get(page_url).content.decode()
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline")
    html = documents.certificate_html(certificate)
    assert certificate.label in html and certificate.label.startswith("Số ")
    for text in ("Đinh Thị Hai", "Đinh Văn Ba", HEAD_ID, "02/04/1975", "17/QĐ-UBND",
                 "15/11/2023", "Nguyễn Văn A", "Thôn Hai", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Kông Chro"):  # fmt: skip
        assert text in html, text
    titles = {"ngheo": "GIẤY CHỨNG NHẬN HỘ NGHÈO", "can_ngheo": "GIẤY CHỨNG NHẬN HỘ CẬN NGHÈO"}
    for issued in certificates.values():  # the title follows the status the decision recognised
        assert titles[issued.status] in documents.certificate_html(issued)
    assert {c.status for c in certificates.values()} == set(titles)

    # The request the decision did not grant (still near-poor, not poor): a written refusal with reasons.
    page = client.get(page_url).content.decode()
    assert "Không được công nhận: cần văn bản trả lời" in page and f'value="refusal:{request.pk}"' in page
    prefix = f"refusal-{request.pk}"
    refusal = {"action": f"refusal:{request.pk}", f"{prefix}-number": "05/UBND-LĐTBXH",
               f"{prefix}-issued_on": "22/11/2023", f"{prefix}-signer": "Nguyễn Văn A",
               f"{prefix}-reasons": "Điểm thiếu hụt chưa đủ để công nhận hộ nghèo."}  # fmt: skip
    response = client.post(page_url, {**refusal, f"{prefix}-reasons": ""})
    assert response.status_code == 200 and not RequestRefusal.objects.exists()
    assert client.post(page_url, refusal).status_code == 302
    written = RequestRefusal.objects.get()
    refusal_url = reverse("web:procedure-refusal", args=[written.pk])
    page = client.get(page_url).content.decode()
    assert refusal_url in page and "Hoàn thành" in page
    response = client.get(refusal_url)
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    html = documents.refusal_html(written)
    for text in ("05/UBND-LĐTBXH", "Điểm thiếu hụt chưa đủ", "05/10/2023", "Nguyễn Thị Bé", "Mẫu 01"):
        assert text in html, text

    # Other areas: as if nothing existed.
    for persona in (personas.peer, personas.outsider):
        as_user(client, persona)
        for url in (page_url, village_0, posting_list, pdf_url, refusal_url,
                    reverse("web:procedure-minutes", args=[first_meeting.pk])):  # fmt: skip
            assert client.get(url).status_code == 404, url
        assert client.post(page_url, posting).status_code == 404


def test_requests_page_by_role(client: Client, world: Any) -> None:
    personas, (h1, *_rest), second, commune, *_ = world
    url = reverse("web:procedure-requests")
    data = {"household_code": h1.code, "form": "04", "channel": "post", "received_on": "06/10/2023"}
    as_user(client, personas.viewer)
    page = client.get(url).content.decode()
    assert client.get(url).status_code == 200 and 'name="household_code"' not in page
    assert client.post(url, data).status_code == 403
    as_user(client, personas.peer)
    response = client.post(url, data)  # a household outside the peer's area: not found
    assert "Không tìm thấy hộ" in response.content.decode() and not HouseholdRequest.objects.exists()
    as_user(client, personas.owner)
    response = client.post(url, {**data, "received_on": "06/10/2030"})
    assert "chưa đến" in response.content.decode()
    assert client.post(url, data).status_code == 302
    assert HouseholdRequest.objects.get().review == second
    assert reverse("web:procedure", args=[second.pk, commune.pk]) in client.get(url).content.decode()
    as_user(client, personas.peer)
    assert h1.code not in client.get(url).content.decode()


def test_decisions_page_links_the_procedure(client: Client, world: Any) -> None:
    personas, _households, second, commune, *_ = world
    page = as_user(client, personas.owner).get(reverse("web:decisions")).content.decode()
    assert reverse("web:procedure", args=[second.pk, commune.pk]) in page
    assert reverse("web:procedure-requests") in page  # the site's menu


def test_a_regular_round_shows_its_due_day_and_lateness(client: Client, world: Any) -> None:
    personas, (h1, *_rest), *_ = world
    as_user(client, personas.owner)
    data = {"household_code": h1.code, "form": "01", "channel": "online", "received_on": "20/03/2024"}
    assert client.post(reverse("web:procedure-requests"), data).status_code == 302
    item = HouseholdRequest.objects.get()
    assert item.review.kind == "regular"
    due = procedure.round_due(item.review)
    assert due is not None
    page = client.get(reverse("web:procedure", args=[item.review.pk, item.commune.pk])).content.decode()
    assert "Hạn giải quyết" in page and f"{due:%d/%m/%Y}" in page and "Quá hạn" in page
    assert "Chờ quyết định công nhận" in page
