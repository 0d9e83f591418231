"""``tinhso notifications deliver [--loop]`` sends due notifications; ``status`` counts them.

The task worker sends each notification right after the commit that queued it. Retries after a
failure (30 s, 1 min, 2 min … back-off) and notifications whose task was lost wait for this sweep:
run it from cron every minute or keep ``--loop`` running beside the worker (docs/notifications.md).
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.db.models import Count

from tinhso.notifications.models import Notification
from tinhso.notifications.services import notifications_deliver_due


class Command(BaseCommand):
    help = "Gửi các thông báo đến hạn (deliver) hoặc thống kê theo tình trạng (status)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        deliver = actions.add_parser("deliver", help="Gửi các thông báo đang chờ hoặc cần gửi lại.")
        deliver.add_argument("--loop", action="store_true", help="Chạy liên tục cho đến khi bị dừng.")
        deliver.add_argument("--interval", type=float, default=10.0,
                             help="Số giây nghỉ khi không còn việc (với --loop), mặc định 10.")
        actions.add_parser("status", help="Đếm thông báo theo kênh và tình trạng.")

    def handle(self, *args, action: str, **options) -> None:
        if action == "status":
            rows = (Notification.objects.values_list("channel", "status").annotate(n=Count("pk"))
                    .order_by("channel", "status"))
            for channel, status, count in rows:
                self.stdout.write(f"{Notification.Channel(channel).label} — {Notification.Status(status).label}: {count}")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        if options["loop"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            if not connection.in_atomic_block:
                close_old_connections()
            sent = notifications_deliver_due()
            if sent or not options["loop"]:
                self.stdout.write(f"Đã gửi {sent} thông báo.")
            if not options["loop"] or stopping:
                return
            if not sent:
                time.sleep(options["interval"])
