import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tinhso.accounts.models import ApiKey, User
from tinhso.accounts.services import apikey_authenticate, apikey_create, apikey_revoke
from tinhso.core.errors import ValidationFailed
from tinhso.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _create_by_command(*args) -> str:
    out = StringIO()
    call_command("apikey", "create", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


@pytest.fixture
def agency():
    return AgencyFactory(code="H44.01.01", name="Trung tâm Phục vụ hành chính công tỉnh")


def test_created_key_authenticates_through_the_api_with_its_scope(client, agency):
    raw = _create_by_command("--agency", "h44.01.01", "--roles", "reception,monitor", "--name", "Đồng bộ DVCQG")
    assert raw.startswith("ts_") and len(raw.split("_", 2)[2]) >= 43  # 32 random bytes, base64url

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "service" and body["full_name"] == "Đồng bộ DVCQG"
    assert sorted((m["agency"]["code"], m["role"]) for m in body["memberships"]) == [
        ("H44.01.01", "monitor"),
        ("H44.01.01", "reception"),
    ]
    assert body["api_key"]["agency"] == "H44.01.01"
    assert body["api_key"]["prefix"] == raw.split("_")[1]


def test_only_the_digest_is_stored(agency):
    key, raw = apikey_create(actor=None, agency=agency, roles=["reception"], name="Tích hợp")
    stored = ApiKey.objects.get(pk=key.pk)
    assert raw not in str(stored.__dict__.values())
    assert len(stored.key_hash) == 64


@pytest.mark.parametrize(
    "header",
    ["Bearer ts_00000000_khong-ton-tai", "Bearer sai-dinh-dang", "Bearer ts_ZZZZZZZZ_x"],
)
def test_wrong_key_is_401_problem_json_not_anonymous(client, agency, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_api_key"


def test_a_key_with_a_tampered_secret_is_refused(client, agency):
    _, raw = apikey_create(actor=None, agency=agency, roles=["reception"], name="Tích hợp")
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert apikey_authenticate(raw_key=tampered) is None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {tampered}").status_code == 401


def test_revoked_key_is_refused(client, agency):
    key, raw = apikey_create(actor=None, agency=agency, roles=["reception"], name="Tích hợp")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    out = StringIO()
    call_command("apikey", "revoke", key.prefix, stdout=out)
    assert "Đã thu hồi" in out.getvalue()

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"
    assert User.objects.get(pk=key.user_id).is_active is False
    apikey_revoke(actor=None, prefix=key.prefix)  # twice is harmless


def test_last_used_is_written_at_most_once_a_minute(agency):
    key, raw = apikey_create(actor=None, agency=agency, roles=["reception"], name="Tích hợp")
    apikey_authenticate(raw_key=raw)
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None

    apikey_authenticate(raw_key=raw)
    key.refresh_from_db()
    assert key.last_used_at == first

    old = timezone.now() - dt.timedelta(minutes=2)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=old)
    apikey_authenticate(raw_key=raw)
    key.refresh_from_db()
    assert key.last_used_at > old


def test_create_refuses_unknown_roles_and_agencies(agency):
    with pytest.raises(ValidationFailed) as info:
        apikey_create(actor=None, agency=agency, roles="reception,boss", name="x")
    assert info.value.code == "invalid_role"
    with pytest.raises(CommandError, match="agency_not_found"):
        call_command("apikey", "create", "--agency", "H44.77", "--roles", "reception", "--name", "x",
                     stdout=StringIO())


def test_list_never_prints_keys(agency):
    key, raw = apikey_create(actor=None, agency=agency, roles=["monitor"], name="Báo cáo 766")
    out = StringIO()
    call_command("apikey", "list", stdout=out)
    text = out.getvalue()
    assert key.prefix in text and "Báo cáo 766" in text and "monitor" in text
    assert raw.split("_", 2)[2] not in text
