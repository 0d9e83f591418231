"""``tinhso audit verify``: check the hash chain of the audit log; exit code 1 on tampering."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tinhso.core.audit import audit_verify


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký kiểm tra (chuỗi hash)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="Kiểm tra toàn bộ chuỗi và chỉ ra bản ghi đầu tiên bị sửa hoặc xóa.")

    def handle(self, *args, action: str, **options) -> None:
        result = audit_verify()
        checked = f"{result.checked:,}".replace(",", ".")
        if result.ok:
            self.stdout.write(self.style.SUCCESS(
                f"Nhật ký kiểm tra toàn vẹn: đã kiểm tra {checked} bản ghi, không phát hiện sửa đổi."
            ))
            return
        raise CommandError(
            f"PHÁT HIỆN NHẬT KÝ BỊ CAN THIỆP tại bản ghi số {result.first_bad_seq}. {result.reason} "
            f"({checked} bản ghi trước đó toàn vẹn.)",
            returncode=1,
        )
