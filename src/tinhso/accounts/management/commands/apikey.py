"""``tinhso apikey create|revoke|list``: API keys for integrators, scoped to one agency."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tinhso.accounts.selectors import apikey_list
from tinhso.accounts.services import apikey_create, apikey_revoke
from tinhso.core.errors import DomainError
from tinhso.org.selectors import agency_get


class Command(BaseCommand):
    help = "Quản lý khóa API của hệ thống tích hợp (mỗi khóa gắn với một cơ quan và các vai trò)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo khóa mới; khóa chỉ được in ra một lần.")
        create.add_argument("--agency", required=True, help="Mã định danh cơ quan, ví dụ H44.01.01")
        create.add_argument("--roles", required=True, help="Vai trò, cách nhau bởi dấu phẩy, ví dụ reception,monitor")
        create.add_argument("--name", required=True, help="Tên gợi nhớ, ví dụ “Đồng bộ Cổng DVCQG”")
        revoke = sub.add_parser("revoke", help="Thu hồi khóa theo tiền tố.")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="Liệt kê các khóa (không bao giờ in khóa).")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(f"{exc.detail} [{exc.code}]") from exc

    def _create(self, *, agency: str, roles: str, name: str, **_):
        key, raw = apikey_create(actor=None, agency=agency_get(code=agency), roles=roles, name=name)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo khóa “{key.name}” (tiền tố {key.prefix}) cho {key.agency.code}."))
        self.stdout.write("Khóa chỉ hiển thị MỘT LẦN, hãy lưu ngay:")
        self.stdout.write(raw)

    def _revoke(self, *, prefix: str, **_):
        key = apikey_revoke(actor=None, prefix=prefix)
        self.stdout.write(self.style.SUCCESS(f"Đã thu hồi khóa {key.prefix} lúc {timezone.localtime(key.revoked_at):%d/%m/%Y %H:%M}."))

    def _list(self, **_):
        keys = list(apikey_list())
        if not keys:
            self.stdout.write("Chưa có khóa API nào.")
            return
        for key in keys:
            roles = ",".join(sorted(m.role for m in key.user.memberships.all() if m.is_active))
            used = f"{timezone.localtime(key.last_used_at):%d/%m/%Y %H:%M}" if key.last_used_at else "chưa dùng"
            state = f"thu hồi {timezone.localtime(key.revoked_at):%d/%m/%Y}" if key.revoked_at else "hiệu lực"
            self.stdout.write(f"{key.prefix}  {key.agency.code:<14} {roles:<24} {state:<20} {used:<18} {key.name}")
