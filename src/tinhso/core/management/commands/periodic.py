"""``tinhso periodic [--loop]``: the time-driven jobs, run in order.

Each job is an ordinary, idempotent management command that selects its work by due time (outbox
retries, notification retries, overdue/at-risk sweeps, expired idempotency keys), so a missed run is
caught up by the next one. The list lives in ``settings.TINHSO_PERIODIC_COMMANDS`` rather than in code
here, so that the kernel does not import the apps above it. Production runs this from cron or a
systemd timer (docs/deployment.md); ``make run`` keeps it looping next to the web server.
"""

from __future__ import annotations

import shlex
import time

from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Chạy các công việc định kỳ (gửi lại sự kiện, thông báo, quét hồ sơ sắp đến hạn, quá hạn)"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="lặp lại mãi, nghỉ --interval giây giữa hai lượt")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, loop: bool, interval: int, **options):
        while True:
            for line in settings.TINHSO_PERIODIC_COMMANDS:
                name, *arguments = shlex.split(line)
                try:
                    call_command(name, *arguments, verbosity=max(0, options["verbosity"] - 1))
                except Exception as exc:  # one failing job must not stop the others
                    self.stderr.write(f"{line}: {exc}")
            if not loop:
                return
            time.sleep(interval)
