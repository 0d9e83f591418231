"""Importing JSON Lines: every valid row loads, every rejected row is reported, nothing half-written."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from tinhso.catalog.models import Fee, Procedure, ProcedureVersion, RequiredDocument, Sector
from tinhso.catalog.selectors import procedure_search
from tinhso.catalog.services import records as records_service
from tinhso.catalog.services.importing import catalog_import
from tinhso.catalog.tests.factories import full_record, import_records, index_record

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_shared_data_set_loads_every_valid_row_and_reports_the_ministry_one():
    full = catalog_import(actor=None, path=DATA / "procedures.jsonl")
    index = catalog_import(actor=None, path=DATA / "procedures-index.jsonl")

    assert (full.created, index.created) == (9, 630)
    assert index.rejected == []
    [rejected] = full.rejected
    assert (rejected.row, rejected.column, rejected.code) == ("1", "level", "1.000178")
    assert "không thuộc thẩm quyền giải quyết của tỉnh" in rejected.reason
    assert Procedure.objects.filter(current_version__isnull=False).count() == 639

    # the source quirks are cleaned on the way in
    assert not Procedure.objects.get(code="1.015016").current_version.name.startswith(" ")
    assert "\n" not in Procedure.objects.get(code="1.115726").current_version.name
    assert "ƣ" not in Procedure.objects.get(code="1.013858").current_version.name

    # and the search examples hold on the real catalogue
    assert procedure_search(q="dang ky khai sinh").items[0].code == "1.001193"
    assert procedure_search(q="dang ky khai sinnh").items[0].code == "1.001193"
    assert procedure_search(q="chung thuc ban sao").items[0].code == "2.000815"


def test_national_record_is_mapped_to_the_catalogue_fields():
    import_records([json.loads(line) for line in (DATA / "procedures.jsonl").read_text().splitlines()
                    if '"1.004222"' in line])
    version = Procedure.objects.get(code="1.004222").current_version
    assert (version.processing_time_value, version.processing_time_unit) == (7, "working_days")
    assert version.submission_channels == ["online", "direct"] and version.online_level == "PARTIAL"
    assert (version.sector.name, version.sector.national_code) == ("Đăng ký, quản lý cư trú", "G01-CA05")
    fees = {(f.channel, f.amount, f.kind) for f in version.fees.all()}
    assert fees == {("online", 10000, "charge"), ("counter", 20000, "charge")}
    cases = set(version.documents.values_list("case_name", flat=True))
    assert "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ" in cases
    assert version.legal_basis[0]["number"] == "66.7/2025/NQ-CP"
    assert not version.is_complete  # no agency of this province receives it yet


def test_each_rejected_row_has_its_row_column_and_reason(tmp_path, agencies):
    bad_process = full_record("1.900302", tinhso_process={"steps": [{"code": "a", "name": "A", "role": "ai_do",
                                                                      "agency_scope": "competent"}]})
    bad_eform = full_record("1.900303", tinhso_eform={"type": "object", "properties": {"x": {"type": "file"}}})
    bad_agency = full_record("1.900304", receiving="H44.999")
    bad_unit = full_record("1.900305", time={"value": 3, "unit": "tuần"})
    path = write_jsonl(tmp_path / "lo-nhap.jsonl", [
        index_record("1.900301", "Thủ tục hợp lệ"),
        "{ không phải JSON",
        index_record("", "Thiếu mã"),
        index_record("1.23", "Mã sai dạng"),
        index_record("1.900306", "Thủ tục cấp Bộ", level="Cấp Bộ"),
        index_record("1.900301", "Trùng mã dòng 1"),
        bad_process, bad_eform, bad_agency, bad_unit,
        index_record("1.900307", "Thiếu lĩnh vực", sector=""),
        full_record("1.900308"),
    ])

    report = catalog_import(actor=None, path=path)

    assert report.created == 2
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.900301", "1.900308"}
    rejected = {r.row: (r.column, r.reason) for r in report.rejected}
    assert rejected["2"][0] == "" and "không phải JSON hợp lệ" in rejected["2"][1]
    assert rejected["3"] == ("code", "Thiếu mã thủ tục.")
    assert rejected["4"][0] == "code" and "d.dddddd" in rejected["4"][1]
    assert rejected["5"][0] == "level" and "Cấp Bộ" in rejected["5"][1]
    assert rejected["6"] == ("code", "Mã thủ tục trùng với dòng 1 của cùng tệp.")
    assert rejected["7"][0] == "tinhso.process" and "Vai trò “ai_do” không hợp lệ" in rejected["7"][1]
    assert rejected["8"][0] == "tinhso.eform" and "Kiểu “file” không được hỗ trợ" in rejected["8"][1]
    assert rejected["9"] == ("tinhso.agency_links", "Không có cơ quan mã H44.999.")
    assert rejected["10"][0] == "tinhso.processing_time.unit" and "tuần" in rejected["10"][1]
    assert rejected["11"] == ("sector", "Thiếu lĩnh vực.")
    assert len(report.rejected) == 10


def test_a_code_is_one_digit_a_dot_and_six_digits_whatever_the_first_digit():
    # vn-standards §3.1: d.dddddd; the meaning of the first digit is unverified, so none is refused.
    report = import_records([index_record("4.000001", "Thủ tục mã đầu 4"), index_record("0.000002", "Mã đầu 0"),
                             index_record("1.00001", "Thiếu một chữ số"), index_record("10.000001", "Hai chữ số đầu")])
    assert report.created == 2
    assert set(Procedure.objects.values_list("code", flat=True)) == {"4.000001", "0.000002"}
    assert [(r.code, r.column) for r in report.rejected] == [("1.00001", "code"), ("10.000001", "code")]


def test_a_row_that_fails_half_way_leaves_nothing_behind(agencies, monkeypatch):
    def broken(version, record, agencies):
        RequiredDocument.objects.bulk_create([RequiredDocument(version=version, code="X", name="viết được một phần")])
        raise DatabaseError("ổ đĩa đầy")

    monkeypatch.setattr(records_service, "_write_children", broken)
    report = import_records([full_record("1.900401")])
    monkeypatch.undo()
    report_ok = import_records([full_record("1.900402")])

    assert report.rejected[0].reason == "Lỗi khi ghi cơ sở dữ liệu: ổ đĩa đầy"
    assert not Procedure.objects.filter(code="1.900401").exists()
    assert not ProcedureVersion.objects.filter(procedure__code="1.900401").exists()
    assert not RequiredDocument.objects.filter(code="X").exists()
    assert report_ok.created == 1 and Fee.objects.filter(version__procedure__code="1.900402").count() == 2


def test_reimport_changes_nothing_and_a_changed_record_becomes_a_new_version(agencies):
    import_records([full_record()])
    again = import_records([full_record()])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)

    changed = import_records([full_record(name="Đăng ký thử nghiệm (tên mới)")])
    assert changed.updated == 1
    versions = list(ProcedureVersion.objects.filter(procedure__code="1.900101").order_by("number"))
    assert [v.name for v in versions] == ["Đăng ký thử nghiệm đầy đủ", "Đăng ký thử nghiệm (tên mới)"]
    assert Procedure.objects.get(code="1.900101").current_version == versions[1]


def test_an_index_entry_never_replaces_the_provinces_complete_record(agencies):
    import_records([full_record()])
    report = import_records([index_record("1.900101", "Tên ngắn trong danh mục")])
    assert report.skipped and "đầy đủ hơn" in report.skipped[0].reason
    assert Procedure.objects.get(code="1.900101").current_version.is_complete


def test_dry_run_checks_everything_and_saves_nothing(tmp_path):
    path = write_jsonl(tmp_path / "thu.jsonl", [index_record("1.900501", "Thủ tục thử"), index_record("x", "Sai")])
    report = catalog_import(actor=None, path=path, dry_run=True)
    assert (report.created, len(report.rejected)) == (1, 1)
    assert not Procedure.objects.exists() and not Sector.objects.exists()


def test_command_prints_rejections_and_writes_the_csv_report(tmp_path):
    path = write_jsonl(tmp_path / "lo.jsonl", [index_record("1.900601", "Hợp lệ"),
                                               index_record("1.900602", "Cấp Bộ", level="Cấp Bộ")])
    report_path = tmp_path / "bao-cao.csv"
    out, err = StringIO(), StringIO()
    call_command("catalog", "import", str(path), "--report", str(report_path), stdout=out, stderr=err)

    assert "lo.jsonl: 1 thủ tục mới" in out.getvalue() and "1 dòng bị từ chối" in out.getvalue()
    assert "từ chối lo.jsonl dòng 2 cột level (1.900602)" in err.getvalue()
    with open(report_path, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["tệp", "dòng", "cột", "mã thủ tục", "kết quả", "lý do"]
    assert rows[1][:5] == ["lo.jsonl", "2", "level", "1.900602", "từ chối"]
