"""``tinhso dossiers sweep``: announce overdue and at-risk dossiers (idempotent; run from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tinhso.dossiers.services import dossiers_sweep


class Command(BaseCommand):
    help = "Hồ sơ một cửa: quét hồ sơ quá hạn, sắp đến hạn và phát sự kiện (chạy định kỳ, chạy lại không trùng)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="Phát dossier.overdue / dossier.at_risk một lần cho mỗi hồ sơ và hạn xử lý.")

    def handle(self, *args, **options):
        if options["action"] == "sweep":
            result = dossiers_sweep()
            self.stdout.write(f"Quá hạn: {result.overdue} hồ sơ mới; sắp đến hạn: {result.at_risk} hồ sơ mới.")
