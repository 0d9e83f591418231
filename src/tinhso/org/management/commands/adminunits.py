"""``tinhso adminunits load``: the 2025 provinces, the pre-2025 provinces and the communes/wards."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from tinhso.org.services import administrative_units_load


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (34 tỉnh, 63 tỉnh cũ, xã/phường) từ dữ liệu kèm theo."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Nạp hoặc cập nhật; chạy lại không tạo trùng.")
        group = load.add_mutually_exclusive_group()
        group.add_argument(
            "--province", nargs="+", metavar="CODE",
            help="Chỉ nạp xã, phường của các tỉnh này (mã Hxx hoặc mã GSO). Mặc định: TINHSO_PROVINCE_CODE.",
        )
        group.add_argument("--all", action="store_true", help="Nạp xã, phường của cả 34 tỉnh (3.321 đơn vị).")

    def handle(self, *args, action: str, **options):
        provinces = None if options["all"] else (options["province"] or [settings.TINHSO_PROVINCE_CODE])
        result = administrative_units_load(ward_provinces=provinces)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đơn vị hành chính: {result.created} mới, {result.updated} cập nhật, "
                f"{result.mappings_created} liên kết đơn vị cũ → mới; xã, phường của: {', '.join(result.provinces)}."
            )
        )
