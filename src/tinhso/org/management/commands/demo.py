"""``tinhso demo load`` builds the demo province; ``tinhso demo logins`` prints its accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tinhso.org.demo import DemoContext, demo_load, demo_loaders, demo_logins
from tinhso.org.demo.registry import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Dữ liệu mẫu: tỉnh Phú Thọ với cơ quan, cán bộ, công dân (load) và danh sách tài khoản (logins)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Nạp (hoặc bổ sung) dữ liệu mẫu; chạy lại không tạo trùng.")
        load.add_argument("--only", nargs="*", metavar="LOADER", help="Chỉ chạy các bộ nạp có tên này.")
        load.add_argument("--list", action="store_true", help="Chỉ liệt kê các bộ nạp đã đăng ký.")
        logins = sub.add_parser("logins", help="In bảng tài khoản mẫu và mật khẩu chung.")
        logins.add_argument("--url", default="", help="Địa chỉ máy chủ để in kèm, ví dụ http://127.0.0.1:8000")

    def handle(self, *args, action: str, **options):
        if action == "load":
            if options["list"]:
                for loader in demo_loaders():
                    self.stdout.write(f"{loader.order:>4}  {loader.name}")
                return
            self.stdout.write("Nạp dữ liệu mẫu…")
            demo_load(ctx=DemoContext(log=self.stdout.write), only=options["only"])
            self.stdout.write(self.style.SUCCESS("Xong. Xem tài khoản mẫu: tinhso demo logins"))
        else:
            self._logins(url=options["url"].rstrip("/"))

    def _logins(self, *, url: str) -> None:
        # Through the user model setting: org sits below accounts and never imports it.
        User = get_user_model()  # noqa: N806 - a class

        rows = demo_logins()
        existing = set(User.objects.filter(username__in=[r.username for r in rows]).values_list("username", flat=True))
        rows = [r for r in rows if r.username in existing]
        out = self.stdout.write
        out("")
        out("Tỉnh Số — dữ liệu mẫu tỉnh Phú Thọ")
        if url:
            out(f"  Cổng dịch vụ công:  {url}/")
            out(f"  Đăng nhập:          {url}/tai-khoan/dang-nhap/")
            out(f"  Trang nghiệp vụ:    {url}/can-bo/")
            out(f"  Quản trị:           {url}/admin/")
            out(f"  API:                {url}/api/v1/docs")
        if not rows:
            out("  Chưa có tài khoản mẫu: chạy `tinhso demo load` trước.")
            return
        out(f"  Mật khẩu chung cho mọi tài khoản mẫu: {DEMO_PASSWORD}")
        out("")
        headers = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Cơ quan")
        table = [headers, *[(r.username, r.name, r.role, r.agency) for r in rows]]
        widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
        for index, row in enumerate(table):
            out("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                out("  " + "  ".join("-" * w for w in widths))
        out("")
