"""TT 03/2025/TT-VPCP applies from 15/09/2025, not 01/07/2025 (vn-standards, corrections of December
2026). NĐ 118/2025 did take effect on 01/07/2025, so three rule sets follow each other:

* ``nd61-2018`` until 30/06/2025 (unchanged);
* ``nd118-2025-tt01`` 01/07–14/09/2025: NĐ 118/2025 with the TT 01/2018 forms still in use until the
  new circular applied — the law's default; a province that used the new forms earlier edits this
  row's ``form_set`` in the admin;
* ``nd118-2025`` from 15/09/2025: NĐ 118/2025 and TT 03/2025 (Mẫu 01–07).

Dossiers already stored under ``nd118-2025`` but received (or, not received, submitted) before
15/09/2025 move to the middle row: forms printed for them from now on use its form set. Forms already
issued keep the snapshot they were issued with.
"""

from datetime import date, datetime, timedelta, timezone

from django.db import migrations

TT03_FROM = date(2025, 9, 15)
# 15/09/2025 00:00 in Vietnam (UTC+7, no daylight saving).
TT03_FROM_AT = datetime(2025, 9, 15, tzinfo=timezone(timedelta(hours=7)))

REGULATIONS = [
    {
        "code": "nd118-2025-tt01",
        "name": "Nghị định 118/2025/NĐ-CP, biểu mẫu Thông tư 01/2018/TT-VPCP (trước khi Thông tư 03/2025/TT-VPCP "
                "có hiệu lực)",
        "effective_from": date(2025, 7, 1),
        "effective_to": TT03_FROM - timedelta(days=1),
        "dossier_code_format": "{agency}-{yymmdd}-{seq:04d}",
        "form_set": "tt01_2018",
    },
    {
        "code": "nd118-2025",
        "name": "Nghị định 118/2025/NĐ-CP và Thông tư 03/2025/TT-VPCP",
        "effective_from": TT03_FROM,
        "effective_to": None,
        "form_set": "tt03_2025",
    },
]


def seed(apps, schema_editor):
    Regulation = apps.get_model("dossiers", "Regulation")
    for row in REGULATIONS:
        Regulation.objects.update_or_create(code=row["code"], defaults=row)
    Dossier = apps.get_model("dossiers", "Dossier")
    interim = Regulation.objects.get(code="nd118-2025-tt01")
    before = Dossier.objects.filter(regulation__code="nd118-2025")
    before.filter(received_at__lt=TT03_FROM_AT).update(regulation=interim)
    before.filter(received_at__isnull=True, submitted_at__lt=TT03_FROM_AT).update(regulation=interim)


def unseed(apps, schema_editor):
    Regulation = apps.get_model("dossiers", "Regulation")
    current = Regulation.objects.get(code="nd118-2025")
    current.effective_from = date(2025, 7, 1)
    current.save(update_fields=["effective_from"])
    apps.get_model("dossiers", "Dossier").objects.filter(regulation__code="nd118-2025-tt01").update(regulation=current)
    Regulation.objects.filter(code="nd118-2025-tt01").delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_dossier_reference")]
    operations = [migrations.RunPython(seed, unseed)]
