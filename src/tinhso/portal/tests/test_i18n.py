"""The English user interface: the language switch, what it changes and what it must not, and the
state of the English catalogue (every entry translated, the compiled ``.mo`` matching the ``.po``).

Vietnamese is the source language; English exists only through the switch in the page header
(docs/i18n.md). Dates stay dd/mm/yyyy in both languages.
"""

from __future__ import annotations

import ast
import gettext as gettext_module
import re
import shutil
import subprocess  # noqa: S404 - msgfmt, the GNU tool that compilemessages runs too
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from tinhso.web.labels import LABELS, choice_label

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
PACKAGE_DIR = Path(settings.LOCALE_PATHS[0]).parent


def english(client):
    """Switch the way a visitor does: the form in the header posts to Django's ``set_language``."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    return response


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the page has no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- the pages ----------------------------------------------------------------------------------------


def test_the_switch_gives_english_pages_with_lang_en(client, site):
    home = english(client).content.decode()
    assert '<html lang="en"' in home
    assert h1(home) == "Online public service portal"
    assert "Skip to main content" in home and "Quick links" in home
    assert "Track an application" in home and "Administrative procedures" in home  # quick links, lazily translated

    pages = {
        "/thu-tuc/?q=khai sinh": "Search administrative procedures",
        f"/thu-tuc/{site.proc.code}/": site.proc.version.name,  # catalogue data stays Vietnamese
        "/tra-cuu/": "Track an application",
        "/tai-khoan/dang-nhap/": "Sign in",
        "/xac-thuc-chu-ky/": "Check the digital signatures of a PDF document",
        "/tai-khoan/dang-ky/": "Create an account",
    }
    for url, heading in pages.items():
        html = client.get(url).content.decode()
        assert '<html lang="en"' in html, url
        assert h1(html) == heading, url
        assert "Bỏ qua điều hướng" not in html, url  # no Vietnamese chrome left

    procedure = client.get(f"/thu-tuc/{site.proc.code}/").content.decode()
    for text in ("General information", "Required documents", "Fees and charges", "Submit online",
                 "Online public service: end-to-end", "Commune level"):
        assert text in procedure, text


def test_switching_back_gives_vietnamese(client, site):
    english(client)
    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/tra-cuu/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="vi"' in html and h1(html) == "Tra cứu hồ sơ"


def test_an_english_browser_alone_still_gets_vietnamese(client, site):
    """Vietnamese first by design: an officer's English browser must not change the counter screen."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="vi"' in html and h1(html) == "Cổng dịch vụ công trực tuyến"
    assert response["Content-Language"] == "vi"


def test_the_not_found_and_forbidden_pages_are_the_sites_own_in_both_languages(client, site):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404 and '<html lang="vi"' in html and h1(html) == "Không tìm thấy"
    client.force_login(site.citizen)
    response = client.get("/tai-khoan/bao-mat/xac-thuc-hai-buoc/")  # staff only: PermissionDenied
    assert response.status_code == 403 and h1(response.content.decode()) == "Không có quyền truy cập"
    english(client)
    response = client.get("/thu-tuc/9.999999/")
    assert response.status_code == 404 and h1(response.content.decode()) == "Not found"
    assert h1(client.get("/tai-khoan/bao-mat/xac-thuc-hai-buoc/").content.decode()) == "Access denied"


def test_english_tracking_keeps_dd_mm_yyyy_and_translates_the_status(client, site):
    dossier = site.received()
    english(client)
    html = client.post("/tra-cuu/", {"code": dossier.code, "phone": "0912345678"}).content.decode()
    due = timezone.localtime(dossier.due_at)
    assert f'<dd id="tracking-due"><time datetime="{due.isoformat()}">{due:%H:%M} on {due:%d/%m/%Y}</time></dd>' in html
    assert re.search(r'id="tracking-status">Received</span>', html)
    assert "Result due on" in html and "Submitted via" in html and ">Online<" in html


def test_english_form_errors_are_formatted_in_english(client, site):
    """Field messages built from the label are made when shown, not once at import in Vietnamese."""
    english(client)
    html = client.post("/tai-khoan/dang-ky/", {"next": ""}).content.decode()
    assert "Please enter your personal identification number." in html
    assert "Vui lòng" not in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Vui lòng nhập số định danh cá nhân." in client.post("/tai-khoan/dang-ky/", {"next": ""}).content.decode()


def test_durations_have_english_plurals_and_the_same_vietnamese():
    from decimal import Decimal

    from tinhso.web.templatetags.web_ui import duration

    with translation.override("vi"):
        assert duration(Decimal("3"), "working_days") == "3 ngày làm việc"
        assert duration(Decimal("0.5"), "days") == "0,5 ngày"
    with translation.override("en"):
        assert duration(Decimal("1"), "working_days") == "1 working day"
        assert duration(Decimal("3"), "working_days") == "3 working days"
        assert duration(Decimal("0.5"), "hours") == "0,5 hours"
        assert duration(None, "days") == ""


def test_status_and_outcome_read_differently_from_buttons_of_the_same_name():
    with translation.override("en"):
        assert choice_label("Yêu cầu thực hiện nghĩa vụ tài chính") == "Request payment"
        assert choice_label("Yêu cầu thực hiện nghĩa vụ tài chính", "dossier status") == "Payment requested"
        assert choice_label("Từ chối giải quyết", "dossier outcome") == "Denied"
        assert choice_label("Được tiếp nhận", "dossier status") == "Received"  # no context entry: plain one
    with translation.override("vi"):
        assert choice_label("Được tiếp nhận", "dossier status") == "Được tiếp nhận"


# --- choice labels: the enums stay Vietnamese, the pages translate them --------------------------------


def _enums():
    from tinhso.accounts.models import User
    from tinhso.catalog import choices as catalog
    from tinhso.dossiers import status
    from tinhso.dossiers.models import dossier, records
    from tinhso.org.models import Agency
    from tinhso.org.roles import Role
    from tinhso.workdays.choices import TimeUnit

    return [
        catalog.Level, catalog.ProcedureKind, catalog.OnlineLevel, catalog.Channel, catalog.DocumentCopy,
        catalog.FeeKind, catalog.CollectedWhen, catalog.FeeChannel, catalog.StepScope, catalog.StepAction,
        TimeUnit, Role, Agency.Level, Agency.Kind, User.Kind, User.Gender, status.Status, status.Outcome,
        status.Channel, status.ReturnMethod, status.Verdict, dossier.ApplicantKind, dossier.Role,
        records.FormIssue.Kind, records.SupplementRequest.Stage, records.DossierAlert.Kind,
        records.DossierPayment.State,
    ]


def _action_spec_labels() -> set[str]:
    """Labels of the staff action forms: every action of the registry, its fields and their choices."""
    from tinhso.core.actions import input_fields
    from tinhso.dossiers.actions import dossier_actions

    labels = set()
    for action in dossier_actions:
        labels.add(action.label)
        for spec in input_fields(action.Input):
            labels.add(spec.label)
            labels |= {choice["label"] for choice in spec.choices or []}
    assert len(labels) > 40  # the registry was read, not an empty module
    return labels


def test_every_label_a_page_shows_is_marked_for_translation():
    from tinhso.signing.verify import VERDICT_LABELS

    shown = {str(label) for enum in _enums() for label in enum.labels}
    shown |= set(VERDICT_LABELS.values()) | _action_spec_labels()
    missing = sorted(shown - LABELS)
    assert not missing, f"add these labels to tinhso/web/labels.py, then `make messages`: {missing}"


def test_every_marked_label_has_english():
    with translation.override("en"):
        untranslated = sorted(label for label in LABELS if choice_label(label) == label)
    assert not untranslated, untranslated


def test_the_enums_themselves_stay_vietnamese_for_forms_and_the_api():
    from tinhso.dossiers.status import Status, status_label

    with translation.override("en"):
        assert status_label(Status.RECEIVED) == "Được tiếp nhận"


# --- the catalogue ------------------------------------------------------------------------------------


def _unquote(parts: list[str]) -> str:
    return "".join(ast.literal_eval(part) for part in parts)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: flags, context, msgid, msgid_plural and the msgstr list (stdlib only)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        key = None
        parts: dict = {}
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                parts[key].append(line)
            else:
                key, _, rest = line.partition(" ")
                parts[key] = [rest]
        if "msgid" not in parts:
            continue
        entry["msgid"] = _unquote(parts.pop("msgid"))
        if "msgctxt" in parts:
            entry["msgctxt"] = _unquote(parts.pop("msgctxt"))
        if "msgid_plural" in parts:
            entry["msgid_plural"] = _unquote(parts.pop("msgid_plural"))
        for name, value in parts.items():
            index = int(name[7:-1]) if name.startswith("msgstr[") else 0
            entry["msgstr"][index] = _unquote(value)
        entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>")


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in parse_po(PO_FILE) if e["msgid"]]
    assert len(entries) > 600
    problems = []
    for e in entries:
        if "fuzzy" in e["flags"]:
            problems.append(("fuzzy", e["msgid"]))
        expected = 2 if e["msgid_plural"] else 1
        if len(e["msgstr"]) != expected or not all(e["msgstr"].values()):
            problems.append(("untranslated", e["msgid"]))
        for text in e["msgstr"].values():
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e["msgid"])):
                problems.append(("placeholders differ", e["msgid"], text))
    assert not problems, problems
    header = parse_po(PO_FILE)[0]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: en" in header["msgstr"][0] and "nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def _expected_catalog() -> dict:
    catalog = {}
    for e in parse_po(PO_FILE):
        if not e["msgid"]:
            continue
        key = f"{e['msgctxt']}\x04{e['msgid']}" if e["msgctxt"] is not None else e["msgid"]
        if e["msgid_plural"]:
            for index, text in e["msgstr"].items():
                catalog[(key, index)] = text
        else:
            catalog[key] = e["msgstr"][0]
    return catalog


def _compiled_catalog(handle) -> dict:
    catalog = dict(gettext_module.GNUTranslations(handle)._catalog)
    catalog.pop("", None)  # the header
    return catalog


def test_the_committed_mo_is_the_compiled_po():
    """A user's `make run` may have no gettext: the .mo in the repository must match the .po."""
    with MO_FILE.open("rb") as handle:
        assert _compiled_catalog(handle) == _expected_catalog(), "run `make messages` and commit the .mo"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_po_and_compiles_the_same_catalogue(tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(out), str(PO_FILE)], check=True)  # noqa: S603, S607
    with out.open("rb") as fresh, MO_FILE.open("rb") as committed:
        assert _compiled_catalog(fresh) == _compiled_catalog(committed)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is not installed")
def test_the_catalogue_holds_every_string_of_the_source(tmp_path, monkeypatch, settings):
    """A string marked in a template or module but missing from the .po shows in Vietnamese on an
    English page: extract again, into a scratch copy, and compare."""
    (tmp_path / "tinhso").symlink_to(PACKAGE_DIR, target_is_directory=True)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)  # makemessages reads the current directory
    call_command("makemessages", locale=["en"], symlinks=True, no_obsolete=True, verbosity=0,
                 ignore_patterns=["*/tests/*", "tinhso/locale/*"])
    fresh = {(e["msgctxt"], e["msgid"]) for e in parse_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {(e["msgctxt"], e["msgid"]) for e in parse_po(PO_FILE)}
    missing = sorted(msgid for _, msgid in fresh - committed)
    assert not missing, f"run `make messages` and translate: {missing}"
    stale = sorted(msgid for _, msgid in committed - fresh)
    assert not stale, f"run `make messages` (--no-obsolete drops them): {stale}"
