"""Credit through the API (`giamngheo.api.credit`) and the pages (`giamngheo.web.credit`), persona by persona."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.credit.models import BankImport, BankImportWithdrawal, Loan, Repayment
from tests.api.conftest import Api
from tests.credit.conftest import Town
from tests.credit.helpers import row, write_csv

pytestmark = pytest.mark.django_db


def loan_body(mark: int | None, **changes: Any) -> dict[str, Any]:
    body = {"programme": "ho_ngheo", "amount": 20_000_000, "disbursed_on": "2023-03-01", "term_months": 24,
            "channel": "women", "credit_mark": mark}  # fmt: skip
    body.update(changes)
    return body


def test_loans_through_the_api(town: Town) -> None:
    api = Api(town.personas)
    h1 = town.h["h1"]
    path = f"/api/households/{h1.pk}/loans"
    for reader in ("owner", "province", "viewer", "admin"):
        assert api.get(reader, path).status_code == 200
    for stranger in ("peer", "outsider", "unbound"):
        assert api.get(stranger, path).status_code == 404
    mark = api.get("owner", path).json()["credit_mark"]
    assert api.post("peer", path, loan_body(mark)).status_code == 404
    assert api.post("viewer", path, loan_body(mark)).status_code == 403
    assert api.post("owner", path, loan_body(None)).status_code == 428
    refused = api.post("owner", path, loan_body(mark, amount=150_000_000))
    assert refused.status_code == 422 and "vượt mức cho vay tối đa" in refused.json()["errors"]["amount"][0]
    created = api.post("owner", path, loan_body(mark))
    assert created.status_code == 201, created.json()
    loan = created.json()["loans"][0]
    assert (loan["outstanding"], loan["matures_on"], loan["channel"]) == (20_000_000, "2025-03-01", "women")
    stale = api.post("owner", path, loan_body(mark))
    assert stale.status_code == 409 and "đã thay đổi" in stale.json()["message"]

    mark = created.json()["credit_mark"]
    repay = f"/api/credit/loans/{loan['id']}/repayments"
    assert (
        api.post("peer", repay, {"paid_on": "2023-06-01", "principal": 1, "credit_mark": mark}).status_code
        == 404
    )
    paid = api.post("owner", repay, {"paid_on": "2023-06-01", "principal": 5_000_000, "credit_mark": mark})
    assert paid.status_code == 201 and paid.json()["loans"][0]["outstanding"] == 15_000_000
    repayment_id = paid.json()["loans"][0]["repayments"][0]["id"]
    reversed_ = api.post("owner", f"/api/credit/repayments/{repayment_id}/reversal",
                         {"reason": "ghi nhầm", "credit_mark": paid.json()["credit_mark"]})  # fmt: skip
    assert reversed_.status_code == 201 and reversed_.json()["loans"][0]["outstanding"] == 20_000_000
    on = api.get("province", path, on="2025-04-01").json()["loans"][0]
    assert (on["outstanding"], on["overdue"]) == (20_000_000, 20_000_000)
    programmes = api.get("viewer", "/api/credit/programmes").json()
    near_poor = next(p for p in programmes if p["code"] == "ho_can_ngheo")
    assert (
        near_poor["terms"][0]["interest_rate"] in ("7.920", 7.92)
        and near_poor["terms"][0]["verified"] is False
    )


def test_imports_summary_and_eligible_list_through_the_api(town: Town, tmp_path: Path) -> None:
    api = Api(town.personas)
    bad = write_csv(tmp_path / "bad.csv", [row(), row(commune="12")])
    with bad.open("rb") as handle:
        answer = api.client.post("/api/credit/imports", {"file": handle}, headers=api._headers("owner"))
    assert answer.status_code == 422
    assert (
        answer.json()["problems"][0]["text"] == "Dòng 3, cột ma_xa: không có xã mã 00012 vào ngày 28/12/2023"
    )
    assert not BankImport.objects.exists()
    good = write_csv(
        tmp_path / "good.csv", [row(disbursed=99_186_000_000, loans=2_486, outstanding=190_434_000_000)]
    )
    with good.open("rb") as handle:
        answer = api.client.post("/api/credit/imports", {"file": handle}, headers=api._headers("owner"))
    assert answer.status_code == 201, answer.json()
    batch_id = answer.json()["id"]
    assert [b["id"] for b in api.get("province", "/api/credit/imports").json()] == [batch_id]
    assert api.get("peer", "/api/credit/imports").json() == []

    summary = api.get("province", "/api/credit/summary", area="630", year=2023)
    assert summary.status_code == 200
    assert summary.json()["total"] == {"disbursed": 99_186_000_000, "loans": 2_486, "households": 1,
                                       "outstanding": 190_434_000_000, "overdue": 0}  # fmt: skip
    assert summary.json()["source"] == "bank"
    assert api.get("outsider", "/api/credit/summary", area="630", year=2023).status_code == 404

    assert api.post("peer", f"/api/credit/imports/{batch_id}/withdrawal", {"reason": "x"}).status_code == 404
    undone = api.post("owner", f"/api/credit/imports/{batch_id}/withdrawal", {"reason": "Số liệu sai kỳ"})
    assert undone.status_code == 201 and undone.json()["withdrawn"] is True
    assert api.get("province", "/api/credit/summary", area="630", year=2023).json()["total"]["disbursed"] == 0

    eligible = api.get(
        "owner", "/api/credit/eligible-without-loan", area="23824", on="2023-06-01", level="commune"
    )
    assert eligible.status_code == 200
    assert sorted(e["code"] for e in eligible.json()) == sorted(
        town.h[k].code for k in ("h1", "h2", "h3", "h5")
    )


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_credit_page_shows_the_figures_their_source_and_the_households_without_a_loan(town: Town) -> None:
    p = town.personas
    page = signed_in(p.owner).get(reverse("web:credit"), {"nam": "2023"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tín dụng chính sách" in text and 'id="credit-summary"' in text and 'id="eligible"' in text
    assert town.h["h5"].code in text  # poor on 31/12/2023, no loan
    assert 'href="/tin-dung/"' in signed_in(p.viewer).get(reverse("web:dashboard")).content.decode()
    district = p.units["district"]
    assert (
        signed_in(p.province).get(reverse("web:credit"), {"area": district.pk, "nam": "2023"}).status_code
        == 200
    )
    assert signed_in(p.outsider).get(reverse("web:credit"), {"area": district.pk}).status_code == 404


def test_the_household_page_records_a_loan_and_a_repayment(town: Town) -> None:
    p = town.personas
    h1 = town.h["h1"]
    url = reverse("web:credit-household", args=[h1.pk])
    assert signed_in(p.peer).get(url).status_code == 404
    viewer_page = signed_in(p.viewer).get(url)
    assert viewer_page.status_code == 200 and "Ghi khoản vay" not in viewer_page.content.decode()
    owner = signed_in(p.owner)
    assert "Ghi khoản vay" in owner.get(url).content.decode()
    form = {"action": "loan", "vay-programme": "ho_ngheo", "vay-amount": "120000000", "vay-disbursed_on": "01/03/2023",
            "vay-term_months": "24", "vay-credit_mark": "0"}  # fmt: skip
    refused = owner.post(url, form)
    assert refused.status_code == 200 and "vượt mức cho vay tối đa" in refused.content.decode()
    assert owner.post(url, {**form, "vay-amount": "20000000"}).status_code == 302
    loan = Loan.objects.get(household=h1)
    stale = owner.post(url, {**form, "vay-amount": "20000000"})
    assert "đã thay đổi sau khi bạn mở trang" in stale.content.decode() and Loan.objects.count() == 1
    mark = str(loan.events.get().pk)
    paid = owner.post(url, {"action": "repayment", "tra-loan": loan.pk, "tra-paid_on": "01/06/2023",
                            "tra-principal": "5000000", "tra-credit_mark": mark})  # fmt: skip
    assert paid.status_code == 302 and Repayment.objects.get().principal == 5_000_000
    repayment = Repayment.objects.get()
    mark = str(loan.events.order_by("-id").first().pk)  # type: ignore[union-attr]
    assert owner.post(url, {"action": "reverse", "repayment": repayment.pk, "reason": "nhầm",
                            "credit_mark": mark}).status_code == 302  # fmt: skip
    assert repayment.reversal.reason == "nhầm"
    assert signed_in(p.viewer).post(url, {**form, "vay-credit_mark": "0"}).status_code == 403


def test_the_import_page_lists_every_bad_row_and_undoes_a_batch(town: Town, tmp_path: Path) -> None:
    p = town.personas
    owner = signed_in(p.owner)
    url = reverse("web:credit-import")
    bad = write_csv(tmp_path / "bad.csv", [row(programme="khong_co"), row(outstanding="-1")])
    page = owner.post(url, {"file": SimpleUploadedFile("bad.csv", bad.read_bytes())})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="import-problems"' in text
    assert "Dòng 2, cột ma_chuong_trinh: không có chương trình mã «khong_co»" in text
    assert "Dòng 3, cột du_no: «-1» là số âm; phải từ 0 trở lên" in text
    assert not BankImport.objects.exists()
    good = write_csv(tmp_path / "good.csv", [row()])
    assert owner.post(url, {"file": SimpleUploadedFile("good.csv", good.read_bytes())}).status_code == 302
    batch = BankImport.objects.get()
    listing = owner.get(url).content.decode()
    assert "good.csv" in listing and "Rút lô (huỷ nhập)" in listing
    withdraw = reverse("web:credit-batch-withdraw", args=[batch.pk])
    assert signed_in(p.peer).post(withdraw, {"reason": "x"}).status_code == 404
    assert owner.post(withdraw, {"reason": "Ngân hàng sửa số liệu"}).status_code == 302
    assert BankImportWithdrawal.objects.get().reason == "Ngân hàng sửa số liệu"
    assert "Đã rút:" in owner.get(url).content.decode()
    assert signed_in(p.viewer).get(url).status_code == 200
    assert "Rút lô" not in signed_in(p.viewer).get(url).content.decode()


def test_the_pages_fit_a_phone(town: Town) -> None:
    """At 360 px wide tables scroll inside their own box (`table-scroll`) instead of widening the page."""
    owner = signed_in(town.personas.owner)
    for url in (reverse("web:credit") + "?nam=2023", reverse("web:credit-household", args=[town.h["h1"].pk]),
                reverse("web:credit-import")):  # fmt: skip
        page = owner.get(url).content.decode()
        assert 'name="viewport" content="width=device-width' in page
        assert page.count("<table") == page.count('<div class="table-scroll"')
