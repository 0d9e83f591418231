"""Excel export and import: a documented layout that round-trips, and a precise rejection report."""

from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tinhso.catalog.api import procedure_detail_data
from tinhso.catalog.excel import DOCUMENTS, FEES, PROCEDURES
from tinhso.catalog.models import Procedure, ProcedureVersion, Sector
from tinhso.catalog.selectors import procedure_detail, version_detail_queryset
from tinhso.catalog.services.importing import catalog_import
from tinhso.catalog.tests.factories import EFORM, full_record, import_records, index_record

pytestmark = pytest.mark.django_db

COMPARED = ["code", "name", "sector", "level", "online_level", "processing_time", "is_complete", "kind",
            "is_vertical", "applicant_types", "submission_channels", "steps_text", "conditions_text", "result_text",
            "legal_basis", "fees", "fees_text", "agencies", "eform_schema", "process", "notes", "popularity"]


def snapshot(code: str) -> dict:
    return snapshot_of(procedure_detail(code=code))


def snapshot_of(version) -> dict:
    """What the API shows of ``version``, without row ids."""
    data = procedure_detail_data(version_detail_queryset().get(pk=version.pk))
    picked = {key: data[key] for key in COMPARED}
    picked["documents"] = [
        {"case_name": group["case_name"],
         "documents": [{k: v for k, v in d.items() if k not in ("id", "template_url")} for d in group["documents"]]}
        for group in data["documents"]
    ]
    return picked


def test_export_then_import_gives_back_the_same_procedures(tmp_path, agencies):
    import_records([
        full_record(eform=EFORM, tinhso_keywords="thử nghiệm, kiểm thử", tinhso_notes="Ghi chú dữ liệu."),
        index_record("1.900002", "Thủ tục chỉ có trong danh mục", sector="Chứng thực", level="Cấp tỉnh, Cấp xã"),
    ])
    before = {code: snapshot(code) for code in ("1.900101", "1.900002")}
    path = tmp_path / "danh-muc.xlsx"
    call_command("catalog", "export", str(path), stdout=StringIO())

    Procedure.objects.all().delete()
    Sector.objects.all().delete()
    report = catalog_import(actor=None, path=path)

    assert (report.created, report.rejected) == (2, [])
    after = {code: snapshot(code) for code in ("1.900101", "1.900002")}
    assert after == before
    assert after["1.900101"]["is_complete"]


def test_workbook_has_the_documented_sheets_and_headers(tmp_path, agencies):
    import_records([full_record()])
    path = tmp_path / "mau.xlsx"
    call_command("catalog", "export", str(path), stdout=StringIO())
    book = load_workbook(path)
    assert book.sheetnames == ["Hướng dẫn", PROCEDURES, DOCUMENTS, FEES]
    headers = [c.value for c in book[PROCEDURES][1]]
    assert headers[:5] == ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Mã lĩnh vực DVCQG", "Cấp thực hiện"]
    assert [c.value for c in book[PROCEDURES][2]][:5] == ["1.900101", "Đăng ký thử nghiệm đầy đủ", "Hộ tịch",
                                                         "G15-TP07", "Cấp xã"]
    assert book[FEES].max_row == 3 and book[DOCUMENTS].max_row == 4


def test_bad_rows_are_reported_by_sheet_row_and_column(tmp_path, agencies):
    import_records([full_record("1.900101"), full_record("1.900102"), full_record("1.900103")])
    path = tmp_path / "sua.xlsx"
    call_command("catalog", "export", str(path), stdout=StringIO())
    book = load_workbook(path)
    procedures, fees, documents = book[PROCEDURES], book[FEES], book[DOCUMENTS]
    unit_column = [c.value for c in procedures[1]].index("Đơn vị thời hạn") + 1
    procedures.cell(row=2, column=unit_column, value="tuần")  # 1.900101
    amount_column = [c.value for c in fees[1]].index("Mức thu (đồng)") + 1
    fee_row = next(r for r in range(2, fees.max_row + 1) if fees.cell(r, 1).value == "1.900102")
    fees.cell(row=fee_row, column=amount_column, value="mười nghìn")
    documents.append(["1.999999", "", "", "Giấy tờ của thủ tục không có"])
    for row in range(2, procedures.max_row + 1):  # every procedure gets a new name: a real change
        procedures.cell(row=row, column=2, value=f"{procedures.cell(row=row, column=2).value} (sửa)")
    book.save(path)

    report = catalog_import(actor=None, path=path)

    rejected = {(r.row, r.column): r for r in report.rejected}
    assert set(rejected) == {(f"{PROCEDURES}!2", "Đơn vị thời hạn"), (f"{FEES}!{fee_row}", "Mức thu (đồng)"),
                             (f"{DOCUMENTS}!{documents.max_row}", "Mã thủ tục")}
    assert "“tuần” không hợp lệ" in rejected[(f"{PROCEDURES}!2", "Đơn vị thời hạn")].reason
    assert rejected[(f"{FEES}!{fee_row}", "Mức thu (đồng)")].code == "1.900102"
    assert "Không có thủ tục mã “1.999999”" in rejected[(f"{DOCUMENTS}!{documents.max_row}", "Mã thủ tục")].reason
    # the two bad procedures keep their old version untouched; the good one got its new name
    names = {p.code: p.current_version.name for p in Procedure.objects.select_related("current_version")}
    assert names == {"1.900101": "Đăng ký thử nghiệm đầy đủ", "1.900102": "Đăng ký thử nghiệm đầy đủ",
                     "1.900103": "Đăng ký thử nghiệm đầy đủ (sửa)"}


def test_exporting_editing_one_row_and_importing_back_changes_that_row_only(tmp_path, agencies):
    # What a province does: export the catalogue, correct one procedure, import the workbook back.
    rich = {
        "level": "Cấp xã, Cơ quan khác", "is_vertical": True,
        "results": [{"name": "Trích lục", "code": "KQ.G15.000001"}],
        "document_notes": [{"group": "Lưu ý", "text": "Không phải nộp bản sao giấy tờ đã có trong CSDL."}],
        "legal_basis_details": [{"number": "60/2014/QH13", "title": "Luật Hộ tịch", "issuer": "Quốc hội",
                                 "issued": "20/11/2014", "url": "https://vbpl.vn/ho-tich"}],
        "dvcqg_url": "https://dichvucong.gov.vn/thu-tuc/1.900101",
    }
    import_records([full_record("1.900101", **rich), full_record("1.900102", **rich),
                    index_record("1.900103", "Thủ tục chỉ có trong danh mục")])
    before = {v.procedure.code: v for v in ProcedureVersion.objects.select_related("procedure")}
    path = tmp_path / "danh-muc.xlsx"
    call_command("catalog", "export", str(path), stdout=StringIO())
    book = load_workbook(path)
    sheet = book[PROCEDURES]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "1.900102")
    sheet.cell(row=row, column=2, value="Đăng ký thử nghiệm đầy đủ (đã rà soát)")
    book.save(path)

    report = catalog_import(actor=None, path=path)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 1, 2, [])
    current = {p.code: p.current_version for p in Procedure.objects.select_related("current_version")}
    assert current["1.900101"].pk == before["1.900101"].pk and current["1.900103"].pk == before["1.900103"].pk
    edited = current["1.900102"]
    assert (edited.number, edited.name) == (2, "Đăng ký thử nghiệm đầy đủ (đã rà soát)")
    # what the workbook does not carry is kept from the version it replaces
    old = before["1.900102"]
    assert edited.results == old.results == rich["results"]
    assert edited.document_notes == old.document_notes and edited.document_notes[0]["group"] == "Lưu ý"
    assert edited.legal_basis == old.legal_basis and edited.legal_basis[0]["url"] == "https://vbpl.vn/ho-tich"
    assert (edited.is_vertical, edited.level_text) == (True, "Cấp xã, Cơ quan khác")
    assert edited.source["dvcqg_url"] == rich["dvcqg_url"]
    assert snapshot("1.900102") | {"name": ""} == snapshot_of(old) | {"name": ""}

