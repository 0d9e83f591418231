"""``tinhso petitions sweep``: announce at-risk and overdue petitions (run from cron, e.g. every 15 min).
``tinhso petitions recount``: rebuild the counters' tallies from the petitions (after a bulk load)."""

from django.core.management.base import BaseCommand

from tinhso.petitions.services import petition_tallies_rebuild, petitions_sweep


class Command(BaseCommand):
    help = "Phản ánh kiến nghị: sweep — báo phản ánh sắp đến hạn, quá hạn; recount — đếm lại bộ đếm."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["sweep", "recount"])

    def handle(self, *args, job, **options):
        if job == "recount":
            self.stdout.write(f"{petition_tallies_rebuild()} dòng đếm")
            return
        count = petitions_sweep()
        self.stdout.write(f"{count} cảnh báo mới")
