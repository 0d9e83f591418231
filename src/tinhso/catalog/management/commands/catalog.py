"""``tinhso catalog import|export|refresh``: the procedure catalogue from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tinhso.catalog.excel import excel_write
from tinhso.catalog.models import Procedure
from tinhso.catalog.selectors import version_detail_queryset
from tinhso.catalog.services import catalog_refresh
from tinhso.catalog.services.importing import catalog_import


class Command(BaseCommand):
    help = "Danh mục thủ tục hành chính: nhập (JSON Lines, Excel), xuất Excel, làm mới phiên bản hiện hành."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập tệp .jsonl hoặc .xlsx; mỗi dòng nhập trọn vẹn hoặc không nhập.")
        imp.add_argument("files", nargs="+", metavar="FILE")
        imp.add_argument("--dry-run", action="store_true", help="Kiểm tra và báo cáo, không lưu gì.")
        imp.add_argument("--report", metavar="CSV", help="Ghi các dòng bị từ chối, bỏ qua vào tệp CSV.")
        exp = sub.add_parser("export", help="Xuất phiên bản hiện hành của mọi thủ tục ra tệp Excel.")
        exp.add_argument("file", metavar="FILE.xlsx")
        sub.add_parser("refresh", help="Cập nhật phiên bản hiện hành và chỉ mục tìm kiếm (chạy hằng ngày).")

    def handle(self, *args, action: str, **options):
        if action == "import":
            self._import(options["files"], dry_run=options["dry_run"], report_path=options["report"])
        elif action == "export":
            current = Procedure.objects.filter(current_version__isnull=False).values("current_version_id")
            versions = version_detail_queryset().filter(id__in=current).order_by("procedure__code")
            count = excel_write(options["file"], versions.iterator(chunk_size=200))
            self.stdout.write(self.style.SUCCESS(f"Đã xuất {count} thủ tục ra {options['file']}."))
        else:
            changed = catalog_refresh()
            self.stdout.write(self.style.SUCCESS(f"Đã làm mới; {changed} thủ tục đổi phiên bản hiện hành."))

    def _import(self, files: list[str], *, dry_run: bool, report_path: str | None) -> None:
        reports = []
        for path in files:
            try:
                report = catalog_import(actor=None, path=path, dry_run=dry_run)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            reports.append(report)
            for r in report.rejected:
                self.stderr.write(f"  từ chối {r.file} dòng {r.row}{f' cột {r.column}' if r.column else ''}"
                                  f"{f' ({r.code})' if r.code else ''}: {r.reason}")
            self.stdout.write(report.summary())
        if report_path:
            merged = reports[0]
            for extra in reports[1:]:
                merged.rejected += extra.rejected
                merged.skipped += extra.skipped
            merged.write_csv(report_path)
            self.stdout.write(f"Báo cáo: {report_path}")
