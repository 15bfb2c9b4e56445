"""Who may call the API (a personal token or a signed-in session, nothing else), the JSON of every refusal, and the
documentation: the OpenAPI schema and an interactive page served from vendored files."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import ApiToken
from giamngheo.accounts.services import token_create, token_revoke
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/openapi.json").json()
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, methods in schema["paths"].items()
        for method in methods
    ]


def call(client: Client, method: str, path: str, **headers: str) -> Any:
    return getattr(client, method)(path, "{}" if method != "get" else None, content_type="application/json",
                                   headers=headers)  # fmt: skip


def test_every_operation_needs_credentials(client: Client, personas: Any) -> None:
    found = operations(client)
    assert len(found) >= 16
    revoked, revoked_raw = token_create(user=personas.owner)
    token_revoke(token=revoked)
    personas.peer.is_active = False
    personas.peer.save()
    inactive_raw = token_create(user=personas.peer)[1]
    for method, path in found:
        anonymous = call(client, method, path)
        assert anonymous.status_code == 401, (method, path)
        assert "Authorization: Bearer" in anonymous.json()["message"]
        assert anonymous["WWW-Authenticate"].startswith("Bearer")
        for raw in ("gn_khong-dung", revoked_raw, inactive_raw):
            refused = call(client, method, path, Authorization=f"Bearer {raw}")
            assert refused.status_code == 401, (method, path)
            assert refused.json()["message"] == "Mã API không hợp lệ hoặc đã bị thu hồi."


def test_a_token_records_when_it_was_last_used(api: Api, personas: Any) -> None:
    api.get("owner", "/api/households")
    token = ApiToken.objects.get(user=personas.owner)
    assert token.last_used_at is not None


def test_the_signed_in_session_works_and_writes_need_the_csrf_token(personas: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.owner)
    household = personas.kongchro_household
    assert browser.get("/api/households").json()["count"] == 1
    path = f"/api/households/{household.pk}"
    body = json.dumps({"expected_version": household.version, "address": "Nhà 5"})
    forged = browser.patch(path, body, content_type="application/json")
    assert forged.status_code == 403 and "CSRF" in forged.json()["message"]
    browser.get(reverse("web:tokens"))  # any page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    allowed = browser.patch(path, body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert allowed.status_code == 200 and allowed.json()["address"] == "Nhà 5"


def test_errors_are_json_with_a_vietnamese_message(api: Api, personas: Any) -> None:
    not_found = api.get("owner", "/api/households/999999999")
    assert not_found.status_code == 404 and not_found["Content-Type"].startswith("application/json")
    assert not_found.json() == {"message": "Không tìm thấy hộ gia đình."}
    bad = api.get("owner", "/api/households/mot")
    assert bad.status_code == 422 and bad.json()["errors"] == {"household_id": ["phải là số nguyên"]}
    limit = api.get("owner", "/api/households", limit=100_000)
    assert limit.status_code == 422 and "«limit»: phải nhỏ hơn hoặc bằng 500" in limit.json()["message"]
    enum = api.get("owner", "/api/households", poverty_class="giau")
    assert "ngheo" in enum.json()["errors"]["poverty_class"][0]


def test_openapi_schema_describes_the_api(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "giamngheo API"
    assert {"BearerToken", "SessionUser"} <= set(schema["components"]["securitySchemes"])
    listing = schema["paths"]["/api/households"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"limit", "offset", "q", "commune", "poverty_class"}
    assert "404" in schema["paths"]["/api/households/{household_id}"]["get"]["responses"]
    assert "409" in schema["paths"]["/api/households/{household_id}"]["patch"]["responses"]


def test_interactive_docs_are_served_from_vendored_files(client: Client) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(url.startswith("/static/ninja/") and url.endswith(".js") for url in assets)
    assert any(url.startswith("/static/ninja/") and url.endswith(".css") for url in assets)
    assert not [url for url in assets if re.match(r"(https?:)?//", url)], assets
    assert not re.search(r"https?://", html)  # no CDN, no external validator badge
    assert '"validatorUrl": null' in html
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url


def test_unknown_addresses_and_wrong_methods_answer_json(api: Api, personas: Any) -> None:
    for path in ("/api/", "/api/ho-gia-dinh", "/api/households/1/xoa"):
        response = api.get("owner", path)
        assert response.status_code == 404 and path in response.json()["message"], path
    wrong = api.client.delete("/api/households", headers={"Authorization": f"Bearer {api.token('owner')}"})
    assert wrong.status_code == 405 and wrong["Allow"] == "GET, POST"
    assert "DELETE" in wrong.json()["message"]
