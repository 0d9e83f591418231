"""``tinhso catalog import``: load JSON Lines or Excel files row by row.

Each row is its own transaction (a savepoint): it is imported whole or not at all, and a bad row
never stops the others. Every rejected row is reported with its row, column and a Vietnamese
reason (``ImportReport.rejected``; ``--report`` writes them as CSV). ``dry_run`` does all the work
and the checks, then rolls everything back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from tinhso.catalog import excel
from tinhso.catalog.records import RowRejected, record_from_json
from tinhso.catalog.services.records import ImportCache, Layout, procedure_record_save
from tinhso.catalog.services.search_index import procedure_ranks_refresh, search_words_add


@dataclass
class Rejection:
    file: str
    row: str  # line number, or "Sheet!row" for Excel
    column: str
    code: str
    reason: str


@dataclass
class ImportReport:
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Rejection] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    dry_run: bool = False

    @property
    def loaded(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        prefix = "[Chạy thử, không lưu] " if self.dry_run else ""
        return (
            f"{prefix}{self.file}: {self.created} thủ tục mới, {self.updated} cập nhật phiên bản mới, "
            f"{self.unchanged} không đổi, {len(self.skipped)} giữ bản đầy đủ hơn, {len(self.rejected)} dòng bị từ chối."
        )

    def write_csv(self, path: str | Path) -> None:
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:  # BOM: Excel opens it as UTF-8
            writer = csv.writer(handle)
            writer.writerow(["tệp", "dòng", "cột", "mã thủ tục", "kết quả", "lý do"])
            for status, items in (("từ chối", self.rejected), ("bỏ qua", self.skipped)):
                for r in items:
                    writer.writerow([r.file, r.row, r.column, r.code, status, r.reason])


# A source row: where it is, the code if known, and its raw record or why it cannot be read.
SourceRow = tuple[str, str, "dict | RowRejected"]


def jsonl_rows(path: str | Path) -> Iterator[SourceRow]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                yield str(number), "", RowRejected("", f"Dòng không phải JSON hợp lệ (cột {exc.colno}): {exc.msg}.")
                continue
            code = str(raw.get("code") or "").strip() if isinstance(raw, dict) else ""
            yield str(number), code, raw


def json_rows(path: str | Path) -> Iterator[SourceRow]:
    """A ``.json`` file holding an array of records; rows are numbered from 1."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        yield str(exc.lineno), "", RowRejected("", f"Tệp không phải JSON hợp lệ: {exc.msg}.")
        return
    if not isinstance(records, list):
        yield "1", "", RowRejected("", "Tệp .json phải chứa một mảng các thủ tục.")
        return
    for number, raw in enumerate(records, start=1):
        code = str(raw.get("code") or "").strip() if isinstance(raw, dict) else ""
        yield str(number), code, raw


def excel_rows(path: str | Path) -> Iterator[SourceRow]:
    for row in excel.excel_read(path):
        if row.error is not None:
            yield row.error_locator, row.code, row.error
        else:
            yield row.locator, row.code, row.raw


def catalog_import_rows(
    *,
    actor,
    rows: Iterable[SourceRow],
    file: str,
    dry_run: bool = False,
    column_name: Callable[[str], str] = lambda key: key,
    transform: Callable[[dict], dict] | None = None,
    layout: Layout | None = None,
) -> ImportReport:
    """Import ``rows``; ``transform`` may enrich each raw record first (the demo loader does);
    ``layout`` is given for a layout that does not carry every field (Excel, see services/records.py)."""
    report = ImportReport(file=file, dry_run=dry_run)
    seen: dict[str, str] = {}
    cache = ImportCache()
    # Without dry_run every row commits on its own (procedure_record_save is atomic); with it,
    # one outer transaction is rolled back at the end.
    with transaction.atomic() if dry_run else nullcontext():
        for where, code, raw in rows:
            if isinstance(raw, RowRejected):
                report.rejected.append(Rejection(file, where, column_name(raw.column), code, raw.reason))
                continue
            if code and code in seen:
                report.rejected.append(Rejection(
                    file, where, column_name("code"), code, f"Mã thủ tục trùng với dòng {seen[code]} của cùng tệp."))
                continue
            if code:
                seen[code] = where
            try:
                record = record_from_json(transform(raw) if transform else raw)
                outcome = procedure_record_save(actor=actor, record=record, cache=cache, layout=layout)
            except RowRejected as exc:
                report.rejected.append(Rejection(file, where, column_name(exc.column), code, exc.reason))
                continue
            except DatabaseError as exc:  # rolled back with the row's savepoint; the import goes on
                report.rejected.append(Rejection(file, where, "", code, f"Lỗi khi ghi cơ sở dữ liệu: {exc}"))
                continue
            if outcome.status == "skipped":
                report.skipped.append(Rejection(file, where, "", code, outcome.message))
            else:
                setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        search_words_add(cache.search_texts)
        procedure_ranks_refresh()
        if dry_run:
            transaction.set_rollback(True)
    return report


def catalog_import(*, actor, path: str | Path, dry_run: bool = False) -> ImportReport:
    """Import a ``.jsonl`` / ``.json`` (national records, index records) or ``.xlsx`` file (docs/catalog.md)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        rows = json_rows(path) if suffix == ".json" else jsonl_rows(path)
        return catalog_import_rows(actor=actor, rows=rows, file=path.name, dry_run=dry_run)
    if suffix == ".xlsx":
        try:
            rows = list(excel_rows(path))
        except RowRejected as exc:
            report = ImportReport(file=path.name, dry_run=dry_run)
            report.rejected.append(Rejection(path.name, "", exc.column, "", exc.reason))
            return report
        return catalog_import_rows(
            actor=actor, rows=rows, file=path.name, dry_run=dry_run, column_name=excel.column_for,
            layout=excel.version_record,
        )
    raise ValueError(f"Không nhận dạng được loại tệp “{path.name}”: dùng .jsonl, .json hoặc .xlsx.")
