"""``tinhso reports rebuild --from YYYY-MM-DD --to YYYY-MM-DD`` recomputes the roll-up of a period
from the dossiers (docs/reports.md)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tinhso.reports.services import rollup_rebuild


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {text!r} (cần dạng YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Tính lại bảng thống kê tổng hợp của một khoảng ngày (rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser("rebuild", help="Tính lại từ hồ sơ các ngày trong khoảng [--from, --to].")
        rebuild.add_argument("--from", dest="start", required=True, help="Ngày đầu (YYYY-MM-DD).")
        rebuild.add_argument("--to", dest="end", required=True, help="Ngày cuối (YYYY-MM-DD).")

    def handle(self, *args, action: str, **options) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("Ngày cuối phải không trước ngày đầu.")
        result = rollup_rebuild(start=start, end=end)
        self.stdout.write(f"Đã tính lại {result.dossiers} hồ sơ, {result.rows} dòng thống kê "
                          f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}.")
