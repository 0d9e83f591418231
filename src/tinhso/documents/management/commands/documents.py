"""``tinhso documents sweep``: flag incoming documents whose handling is at risk or overdue and announce
each change once (idempotent; listed in TINHSO_PERIODIC_COMMANDS, so `tinhso periodic` runs it)."""

from __future__ import annotations

from django.core.management import BaseCommand

from tinhso.documents.services import incoming_deadlines_sweep


class Command(BaseCommand):
    help = "Văn bản đến: sweep — đánh dấu văn bản sắp đến hạn, quá hạn giải quyết."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["sweep"])

    def handle(self, *args, job: str, **options):
        counts = incoming_deadlines_sweep()
        self.stdout.write(f"Văn bản đến: {counts.get('overdue', 0)} mới quá hạn, {counts.get('at_risk', 0)} mới sắp đến hạn.")
