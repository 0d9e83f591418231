from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from tinhso.accounts.models import User
from tinhso.core.models import AuditEntry
from tinhso.org.demo import DemoContext, demo_load, demo_loader, demo_loaders
from tinhso.org.demo import registry as demo_registry
from tinhso.org.demo.province import AGENCIES, APPLICANTS, STAFF
from tinhso.org.models import Agency, Membership
from tinhso.org.roles import Role
from tinhso.org.selectors import actor_roles, agency_calendar

pytestmark = pytest.mark.django_db(transaction=False)

SNAPSHOT_APPS = ("org", "accounts", "workdays")
# Other apps register loaders too (signing's test PKI takes seconds); each app tests its own loader.
OURS = ["org.units", "org.calendar", "org.agencies", "accounts.people"]


def _snapshot() -> str:
    models = [m for label in SNAPSHOT_APPS for m in apps.get_app_config(label).get_models()]
    rows = [obj for model in models for obj in model.objects.order_by("pk")]
    # last_login/updated_at would differ only if something wrote the row again: keep them in.
    return serializers.serialize("json", rows)


def test_demo_load_twice_changes_nothing():
    call_command("demo", "load", "--only", *OURS, stdout=StringIO())
    before, audits = _snapshot(), AuditEntry.objects.count()

    call_command("demo", "load", "--only", *OURS, stdout=StringIO())

    assert _snapshot() == before
    assert AuditEntry.objects.count() == audits


def test_demo_creates_every_role_and_commune_staff():
    demo_load(only=OURS)
    provincial = Membership.objects.filter(agency__level="province").values_list("role", flat=True)
    assert set(provincial) == set(Role.values)
    for agency_code in ("H44.101", "H44.101.01"):
        assert Agency.objects.get(code=agency_code).level == "commune"
    commune_roles = set(Membership.objects.filter(agency__code__startswith="H44.101").values_list("role", flat=True))
    assert {"reception", "specialist", "leader"} <= commune_roles
    assert Agency.objects.filter(code__in=[a.code for a in AGENCIES]).count() == len(AGENCIES)

    reception = User.objects.get(username="motcua.viettri")
    assert actor_roles(user=reception, agency="H44.101.01") == {"reception"}
    assert actor_roles(user=reception, agency="H44.102.01") == set()
    assert reception.check_password(DemoContext().password)
    assert User.objects.get(username="admin").is_superuser


def test_demo_agencies_count_deadlines_on_the_province_calendar():
    demo_load(only=OURS)
    commune_desk = Agency.objects.get(code="H44.104.01")
    assert agency_calendar(agency=commune_desk).code == "PT"
    assert commune_desk.administrative_unit.name == "Xã Lâm Thao"


def test_demo_agencies_have_their_qcvn102_identifier():
    """edXML OrganId is the 13-character QCVN 102 form (vn-standards §2.1, §8): every demo agency has one."""
    demo_load(only=OURS)
    identifiers = dict(Agency.objects.filter(code__in=[a.code for a in AGENCIES]).values_list("code", "identifier"))
    assert all(identifiers.values()) and len(set(identifiers.values())) == len(AGENCIES)
    assert identifiers["H44"] == "000.00.00.H44" and identifiers["H44.01.01"] == "000.01.01.H44"
    assert identifiers["H44.101.01"] == "000.01.51.H44"
    for agency in Agency.objects.filter(code__in=identifiers):
        agency.full_clean()


def test_demo_applicants_have_valid_identities():
    demo_load(only=OURS)
    an = User.objects.get(username="025085001234")
    assert (an.kind, an.id_number, an.birth_date.year, an.gender) == ("citizen", "025085001234", 1985, "male")
    business = User.objects.get(username="2601234567")
    assert (business.kind, business.tax_code) == ("business", "2601234567")
    assert len(APPLICANTS) == 3


def test_logins_prints_every_account_with_role_and_agency():
    out = StringIO()
    call_command("demo", "logins", stdout=out)
    assert "demo load" in out.getvalue()  # nothing loaded yet: a hint, not an empty table

    demo_load(only=OURS)
    out = StringIO()
    call_command("demo", "logins", "--url", "http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert DemoContext().password in text
    assert "http://127.0.0.1:8000/tai-khoan/dang-nhap/" in text
    for spec in STAFF:
        assert spec.username in text and spec.full_name in text
    assert "Cán bộ Một cửa" in text and "TTPVHCC phường Việt Trì (H44.101.01)" in text


def test_other_apps_plug_loaders_in_by_order(monkeypatch):
    monkeypatch.setattr(demo_registry, "_LOADERS", dict(demo_registry._LOADERS))
    seen = []

    @demo_loader("zz.after_people", order=100)
    def after(ctx):
        seen.append(("after", Agency.objects.filter(code="H44").exists()))

    @demo_loader("aa.first", order=1)
    def first(ctx):
        seen.append(("first", Agency.objects.exists()))

    names = [loader.name for loader in demo_loaders()]
    assert names.index("aa.first") < names.index("org.agencies") < names.index("zz.after_people")
    demo_load(only=["aa.first", "zz.after_people"])
    assert seen == [("first", False), ("after", False)]
