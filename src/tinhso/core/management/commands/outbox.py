"""``tinhso outbox deliver [--loop]`` sweeps due event deliveries; ``tinhso outbox status`` counts them.

The task worker makes the first delivery of each event right after commit. Retries after a failure,
and deliveries whose task was lost, wait for this sweep: run it from cron every minute, or keep
``tinhso outbox deliver --loop`` running beside the worker (docs/events.md).
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.db.models import Count

from tinhso.core.events import outbox_deliver
from tinhso.core.models import EventDelivery


class Command(BaseCommand):
    help = "Chuyển các sự kiện đến hạn tới bộ xử lý (deliver) hoặc thống kê hàng đợi (status)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        deliver = actions.add_parser("deliver", help="Chạy các lượt chuyển đến hạn (kể cả thử lại).")
        deliver.add_argument("--loop", action="store_true", help="Chạy liên tục cho đến khi bị dừng.")
        deliver.add_argument("--interval", type=float, default=10.0,
                             help="Số giây nghỉ khi không còn việc (với --loop), mặc định 10.")
        deliver.add_argument("--max-rounds", type=int, default=0, help="Dừng sau số vòng này (0: không giới hạn).")
        actions.add_parser("status", help="Đếm lượt chuyển theo trạng thái.")

    def handle(self, *args, action: str, **options) -> None:
        if action == "status":
            self._status()
        else:
            self._deliver(loop=options["loop"], interval=options["interval"], max_rounds=options["max_rounds"])

    def _status(self) -> None:
        counts = dict(EventDelivery.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status in EventDelivery.Status:
            self.stdout.write(f"{status.label}: {counts.get(status.value, 0)}")

    def _deliver(self, *, loop: bool, interval: float, max_rounds: int) -> None:
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        if loop:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        rounds = total = 0
        while True:
            if not connection.in_atomic_block:
                # A long-running sweeper must not keep a broken or expired connection (as Django
                # does between requests); inside a transaction (tests) the connection is kept.
                close_old_connections()
            done = outbox_deliver()
            total += done
            rounds += 1
            if not loop or stopping or (max_rounds and rounds >= max_rounds):
                break
            if not done:
                time.sleep(interval)
        self.stdout.write(f"Đã chạy {total} lượt chuyển sự kiện.")
