"""The two rule sets of the one-stop shop (DESIGN §5.1, vn-standards §0, §1, §4.1)."""

from datetime import date

from django.db import migrations

REGULATIONS = [
    {
        "code": "nd61-2018",
        "name": "Nghị định 61/2018/NĐ-CP, Nghị định 107/2021/NĐ-CP và Thông tư 01/2018/TT-VPCP",
        "effective_from": date(2018, 6, 21),
        "effective_to": date(2025, 6, 30),
        "dossier_code_format": "{agency}-{yymmdd}-{seq:04d}",
        "form_set": "tt01_2018",
    },
    {
        "code": "nd118-2025",
        "name": "Nghị định 118/2025/NĐ-CP và Thông tư 03/2025/TT-VPCP",
        "effective_from": date(2025, 7, 1),
        "effective_to": None,
        # vn-standards §1.3: the 2026 variant {agency}-{yyyymmdd}-{seq:07d} is observed but not
        # confirmed; a province switches by editing this row in the admin.
        "dossier_code_format": "{agency}-{yymmdd}-{seq:04d}",
        "form_set": "tt03_2025",
    },
]


def seed(apps, schema_editor):
    Regulation = apps.get_model("dossiers", "Regulation")
    for row in REGULATIONS:
        Regulation.objects.update_or_create(code=row["code"], defaults=row)


def unseed(apps, schema_editor):
    apps.get_model("dossiers", "Regulation").objects.filter(code__in=[r["code"] for r in REGULATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
