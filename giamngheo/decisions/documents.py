"""The printable documents of the review procedure, as PDF (WeasyPrint, rendered on the server): a household's
poor or near-poor certificate (giấy chứng nhận) and the written reply refusing a household's request.

Both are official documents of the commune's People's Committee: they are written in the site's language
(Vietnamese) whatever language the officer's page is in. The HTML is built by `certificate_html` and
`refusal_html` (templates `decisions/certificate.html` and `decisions/refusal.html`), so that it can be read
without rendering the PDF.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.models import Certificate, Decision, RequestRefusal
from giamngheo.registry.models import Household, Membership, Relationship
from giamngheo.reviews.models import PovertyClass

STYLE = Path(__file__).with_name(
    "documents.css"
)  # a file, not a style block: the templates carry no inline style


def unit_name(unit: AdminUnit | None) -> str:
    """ "Thị trấn Kông Chro", "Xã SRó": the unit's type and name (the type once)."""
    if unit is None:
        return ""
    if unit.unit_type and not unit.name.lower().startswith(unit.unit_type.lower()):
        return f"{unit.unit_type} {unit.name}"
    return unit.name


def residence(household: Household, commune: AdminUnit) -> str:
    """The place of permanent residence: village, commune, district (before the 2025 reform) and province."""
    parts = [household.village.name if household.village is not None else ""]
    unit: AdminUnit | None = commune
    while unit is not None:
        parts.append(unit_name(unit))
        unit = unit.parent
    return ", ".join(part for part in parts if part)


def members_on(household: Household, day: date) -> list[Membership]:
    """The household's members on `day` (alive that day), the head first, then by the date they joined."""
    rows = [
        m
        for m in Membership.objects.filter(household=household).select_related("person", "person__ethnicity")
        if m.is_current_on(day) and m.person.is_alive_on(day)
    ]
    return sorted(rows, key=lambda m: (m.relationship != Relationship.HEAD, m.start_date, m.pk))


def _head(household: Household, members: list[Membership]) -> Any:
    head = household.head
    if head is None:
        head = next((m.person for m in members if m.relationship == Relationship.HEAD), None)
    return head


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    certificate = Certificate.objects.select_related(
        "decision", "commune__parent__parent", "household__village", "household__head__ethnicity"
    ).get(pk=certificate.pk)
    household = certificate.household
    members = members_on(household, certificate.issued_on)
    return {
        "certificate": certificate,
        "decision": certificate.decision,
        "poor": certificate.status == PovertyClass.POOR,
        "issuer": unit_name(certificate.commune),
        "place": certificate.commune.name,
        "household": household,
        "head": _head(household, members),
        "residence": residence(household, certificate.commune),
        "members": members,
    }


def certificate_html(certificate: Certificate) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("decisions/certificate.html", certificate_context(certificate))


def refusal_context(refusal: RequestRefusal) -> dict[str, Any]:
    refusal = RequestRefusal.objects.select_related(
        "request__commune__parent__parent", "request__household__village", "request__household__head",
        "request__review",
    ).get(pk=refusal.pk)  # fmt: skip
    request = refusal.request
    decision = (
        Decision.objects.filter(review=request.review, commune=request.commune)
        .order_by("-recorded_at", "-id")
        .first()
    )
    household = request.household
    return {
        "refusal": refusal,
        "request": request,
        "decision": decision,
        "issuer": unit_name(request.commune),
        "place": request.commune.name,
        "household": household,
        "head": household.head,
        "residence": residence(household, request.commune),
        "addressee": request.applicant or (household.head.full_name if household.head else household.code),
    }


def refusal_html(refusal: RequestRefusal) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("decisions/refusal.html", refusal_context(refusal))


def _pdf(html: str) -> bytes:
    import weasyprint  # imported here: the library loads its native parts on first use, only when a PDF is made

    style = weasyprint.CSS(filename=str(STYLE))
    result = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[style])
    assert result is not None
    return bytes(result)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a PDF (A5 portrait)."""
    return _pdf(certificate_html(certificate))


def refusal_pdf(refusal: RequestRefusal) -> bytes:
    """The reply refusing a request as a PDF (A4 portrait)."""
    return _pdf(refusal_html(refusal))
