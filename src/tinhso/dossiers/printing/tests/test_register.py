"""Sổ theo dõi hồ sơ: rows of the agency and period, as Excel with real dates, as A4 landscape PDF."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tinhso.core.errors import PermissionDenied, ValidationFailed
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.printing.register import COLUMNS, register_pdf, register_xlsx
from tinhso.dossiers.selectors import dossier_register
from tinhso.dossiers.tests import factories as f

from .conftest import APPLICANT, pdf_page_size, pdf_text

pytestmark = pytest.mark.django_db

JANUARY = (date(2026, 1, 1), date(2026, 1, 31))


@pytest.fixture
def january(world, received, clock, applicant):
    """Two dossiers received in January 2026 and one in February."""
    clock.set(2026, 1, 5, 8, 30)
    first = received(applicant=ApplicantInput.from_mapping(applicant))
    clock.set(2026, 1, 20, 14, 0)
    second = received(applicant=ApplicantInput.from_mapping(f.applicant()))
    clock.set(2026, 2, 2, 9, 0)
    received()
    return first, second


def test_excel_register_has_vietnamese_headers_and_real_dates(world, january):
    first, second = january

    book = load_workbook(io.BytesIO(register_xlsx(actor=world.reception, agency="H44.12", first=JANUARY[0],
                                                   last=JANUARY[1])))

    sheet = book.active
    assert sheet.title == "Sổ theo dõi hồ sơ"
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A3"].value == "Từ ngày 01/01/2026 đến ngày 31/01/2026"
    assert tuple(cell.value for cell in sheet[5]) == COLUMNS
    rows = [[cell for cell in row] for row in sheet.iter_rows(min_row=6) if row[0].value is not None]
    assert [row[1].value for row in rows] == [first.code, second.code]
    received_cell = rows[0][7]
    assert received_cell.value == datetime(2026, 1, 5, 8, 30)  # Vietnam wall-clock time, a real date
    assert received_cell.number_format.startswith("dd/mm/yyyy")
    assert rows[0][8].value == datetime(2026, 1, 12, 8, 30)  # appointment
    assert rows[0][4].value == APPLICANT
    assert rows[0][5].value == "Phường Việt Trì, tỉnh Phú Thọ; 0912345678"
    assert rows[0][2].value == "Cấp bản sao trích lục hộ tịch"
    assert rows[0][0].value == 1 and rows[1][0].value == 2


def test_pdf_register_is_a4_landscape_with_the_rows(world, january):
    first, second = january

    pdf = register_pdf(actor=world.leader, agency=world.centre, first=JANUARY[0], last=JANUARY[1])

    text = pdf_text(pdf)
    for expected in ["SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/01/2026 đến ngày 31/01/2026", "Mã hồ sơ", "Tên người nộp",
                     "Cơ quan chủ trì giải quyết", "Hẹn trả kết quả", first.code, second.code, APPLICANT,
                     "05/01/2026 08:30", "12/01/2026 08:30"]:
        assert expected in text, expected
    width, height = pdf_page_size(pdf)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape


def test_register_is_only_for_staff_of_the_agency(world, january):
    for outsider in (world.citizen, world.other_reception):
        with pytest.raises(PermissionDenied):
            register_xlsx(actor=outsider, agency="H44.12", first=JANUARY[0], last=JANUARY[1])


@pytest.mark.parametrize(("first", "last", "code"), [
    (date(2026, 2, 1), date(2026, 1, 1), "invalid_period"),
    (date(2025, 1, 1), date(2026, 1, 31), "period_too_long"),
])
def test_register_period_must_be_sensible(world, first, last, code):
    with pytest.raises(ValidationFailed) as error:
        register_xlsx(actor=world.reception, agency="H44.12", first=first, last=last)
    assert error.value.code == code


@pytest.mark.usefixtures("signing_not_required")
def test_the_solving_agency_is_the_department_not_the_desk_that_returned_the_result(world, received, clock):
    """Liên thông: the Sở decides, the commune centre hands the result back. Both the register and the
    handover log name the Sở as "cơ quan chủ trì giải quyết", also after the return step."""
    from tinhso.catalog.choices import StepAction, StepScope
    from tinhso.dossiers.printing import render_form_html
    from tinhso.dossiers.services import dossier_forward, dossier_issue_result, dossier_return_result

    director = f.grant(f.user("giamdoc-so", full_name="Giám Đốc Sở"), world.department, "leader")
    proc = f.procedure(
        code="1.000030", receiving=[world.centre],
        steps=[{"code": "tham-dinh", "name": "Sở thẩm định", "role": "specialist", "scope": StepScope.FIXED,
                "agency": world.department, "days": "2"},
               {"code": "phe-duyet", "name": "Giám đốc Sở phê duyệt", "role": "leader", "scope": StepScope.FIXED,
                "agency": world.department, "days": "1"},
               {"code": "tra-ket-qua", "name": "Trả kết quả", "role": "reception", "days": "0.5"}],
        transitions=[("tham-dinh", StepAction.FORWARD, "phe-duyet"),
                     ("phe-duyet", StepAction.ISSUE_RESULT, "tra-ket-qua"),
                     ("tra-ket-qua", StepAction.RETURN_RESULT, None)])
    clock.set(2026, 1, 5, 8, 30)
    dossier = received(procedure_code=proc.code)
    dossier = dossier_forward(actor=world.dept_specialist, dossier=dossier)
    result = str(f.upload(director, "ket-qua.pdf", f.pdf_bytes()).pk)
    dossier = dossier_issue_result(actor=director, dossier=dossier, file_ids=[result])
    dossier = dossier_return_result(actor=world.reception, dossier=dossier, method="counter")
    assert dossier.status == "returned" and dossier.current_agency == world.centre

    [row] = dossier_register(actor=world.reception, agency="H44.12", period=(date(2026, 1, 1), date(2026, 1, 31)))
    assert row.competent_agency == "Sở Tư pháp tỉnh Phú Thọ"
    log = render_form_html(dossier=dossier, kind="handover-log")
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp tỉnh Phú Thọ" in log


@pytest.mark.usefixtures("signing_not_required")
def test_register_keeps_the_first_appointment_beside_the_new_one_and_splits_the_return(world, january, clock):
    """Mẫu 06/07: numbered rows, the apology's new date beside the first, 'Trả kết quả' as date and
    signature (#18)."""
    from tinhso.dossiers.services import dossier_issue_apology

    first, _ = january
    clock.set(2026, 1, 7, 9, 0)
    dossier_issue_apology(actor=world.leader, dossier=first, reason="Chờ xác minh",
                          new_due_at=datetime(2026, 1, 15, 8, 30).astimezone())
    book = load_workbook(io.BytesIO(register_xlsx(actor=world.reception, agency="H44.12", first=JANUARY[0],
                                                   last=JANUARY[1])))
    header = [cell.value for cell in book.active[5]]
    assert header[8:10] == ["Hẹn trả kết quả", "Hẹn trả lại (xin lỗi, gia hạn)"]
    assert header[12:14] == ["Trả kết quả: ngày, tháng, năm", "Trả kết quả: ký nhận"]
    row = [cell.value for cell in book.active[6]]
    assert row[8] == datetime(2026, 1, 12, 8, 30) and row[9] == datetime(2026, 1, 15, 8, 30)

    text = pdf_text(register_pdf(actor=world.leader, agency=world.centre, first=JANUARY[0], last=JANUARY[1]))
    for expected in ["12/01/2026 08:30", "Hẹn lại: 15/01/2026 08:30", "Trả kết quả", "Ký nhận", "(14)"]:
        assert expected in text, expected
