"""``tinhso petitions sweep``: announce at-risk and overdue petitions (run from cron, e.g. every 15 min)."""

from django.core.management.base import BaseCommand

from tinhso.petitions.services import petitions_sweep


class Command(BaseCommand):
    help = "Phản ánh kiến nghị: sweep — báo phản ánh sắp đến hạn, quá hạn."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["sweep"])

    def handle(self, *args, job, **options):
        count = petitions_sweep()
        self.stdout.write(f"{count} cảnh báo mới")
