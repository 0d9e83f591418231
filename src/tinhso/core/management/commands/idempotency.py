"""``tinhso idempotency purge``: delete stored Idempotency-Key answers past their time-to-live (cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tinhso.core.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Xóa các câu trả lời Idempotency-Key đã hết hạn (TINHSO_IDEMPOTENCY_TTL_HOURS)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("purge", help="Xóa bản ghi hết hạn.")

    def handle(self, *args, **options):
        deleted = idempotency_purge()
        self.stdout.write(f"Đã xóa {deleted} bản ghi Idempotency-Key hết hạn.")
