"""Numbers: notation per Phụ lục I, separate series, yearly restart, never typed."""

from datetime import date

import pytest

from tinhso.core.errors import ValidationFailed
from tinhso.documents import actions
from tinhso.documents.errors import DocumentError
from tinhso.documents.models import DocumentProfile, DocumentRegister, OutgoingDocument
from tinhso.documents.numbering import notation_for, number_text

pytestmark = pytest.mark.django_db


def test_notation_of_a_typed_document_and_of_a_cong_van():
    assert number_text(5, notation_for(doc_type="QĐ", agency_abbr="UBND", unit_abbr="")) == "05/QĐ-UBND"
    assert number_text(123, notation_for(doc_type="CV", agency_abbr="UBND", unit_abbr="VP")) == "123/UBND-VP"
    assert notation_for(doc_type="KH", agency_abbr="SGDĐT", unit_abbr="VP") == "KH-SGDĐT"


def test_cong_van_without_unit_abbreviation_is_refused():
    with pytest.raises(ValidationFailed) as error:
        notation_for(doc_type="CV", agency_abbr="UBND", unit_abbr="")
    assert error.value.code == DocumentError.UNIT_ABBREVIATION_REQUIRED


def test_numbers_follow_issue_order_and_restart_on_first_of_january(world, flow, unsigned, monkeypatch):
    monkeypatch.setattr(actions, "today", lambda: date(2025, 12, 31))
    first = flow("signed")
    second = flow("signed", doc_type="QĐ", subject="Về việc thành lập tổ công tác")
    assert (first.notation, second.notation) == ("01/UBND-VP", "02/QĐ-UBND")
    monkeypatch.setattr(actions, "today", lambda: date(2026, 1, 1))
    new_year = flow("signed")
    assert new_year.notation == "01/UBND-VP" and new_year.register.year == 2026
    assert new_year.register != first.register


def test_secret_documents_and_separate_types_have_their_own_series(world, flow, unsigned):
    DocumentProfile.objects.filter(agency=world.commune).update(separate_types=["QĐ"])
    admin = flow("signed")
    decision = flow("signed", doc_type="QĐ", subject="Về việc kiện toàn ban chỉ đạo")
    secret = flow("signed", confidentiality="mat")
    assert (admin.number, decision.number, secret.number) == (1, 1, 1)
    assert {admin.register.series, decision.register.series, secret.register.series} == {
        DocumentRegister.Series.ADMINISTRATIVE, DocumentRegister.Series.PER_TYPE, DocumentRegister.Series.SECRET}


def test_a_number_typed_by_hand_is_refused_and_nothing_stored(world, draft):
    with pytest.raises(ValidationFailed) as error:
        draft(extra={"number": "15"})
    assert error.value.code == DocumentError.NUMBER_TYPED
    assert not OutgoingDocument.objects.exists()
