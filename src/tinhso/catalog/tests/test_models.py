"""A published version never changes — through save(), delete(), or its child rows."""

import pytest

from tinhso.catalog.models import Fee, ProcedureAgency, ProcedureVersion, RequiredDocument, Step, Transition
from tinhso.catalog.tests.factories import full_record, import_records
from tinhso.core.errors import Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(agencies):
    import_records([full_record()])
    return ProcedureVersion.objects.get(procedure__code="1.900101")


def test_published_version_refuses_save_and_delete(published):
    published.name = "Tên đã bị sửa"
    with pytest.raises(Conflict) as error:
        published.save()
    assert error.value.code == "version_published"
    assert "không được sửa" in error.value.detail
    with pytest.raises(Conflict):
        published.delete()
    assert ProcedureVersion.objects.get(pk=published.pk).name == "Đăng ký thử nghiệm đầy đủ"


def test_published_version_cannot_be_turned_back_into_a_draft(published):
    published.status = "draft"
    with pytest.raises(Conflict):
        published.save()


@pytest.mark.parametrize("model", [RequiredDocument, Fee, ProcedureAgency])
def test_child_rows_of_a_published_version_are_frozen(published, model):
    row = model.objects.filter(version=published).first()
    with pytest.raises(Conflict):
        row.save()
    with pytest.raises(Conflict):
        row.delete()
    extra = model(version=published, **({"name": "Giấy tờ thêm", "code": "THEM"} if model is RequiredDocument else {}))
    with pytest.raises(Conflict):
        extra.save()


def test_process_steps_and_transitions_of_a_published_version_are_frozen(published):
    step = Step.objects.get(definition__version=published, code="tham-dinh")
    step.duration_value = 1
    with pytest.raises(Conflict):
        step.save()
    transition = Transition.objects.filter(definition__version=published).first()
    with pytest.raises(Conflict):
        transition.delete()


def test_a_row_cannot_be_moved_out_of_a_published_version(published, catalog_admin):
    from tinhso.catalog.services import procedure_version_draft

    draft = procedure_version_draft(actor=catalog_admin, procedure=published.procedure)
    document = RequiredDocument.objects.filter(version=published).first()
    document.version = draft
    with pytest.raises(Conflict):
        document.save()


def test_draft_and_its_rows_stay_editable(published, catalog_admin):
    from tinhso.catalog.services import procedure_version_draft

    draft = procedure_version_draft(actor=catalog_admin, procedure=published.procedure)
    draft.name = "Tên mới trong bản nháp"
    draft.save()
    document = draft.documents.first()
    document.name = "Tờ khai (mẫu mới)"
    document.save()
    draft.fees.first().delete()
    assert RequiredDocument.objects.get(pk=document.pk).name == "Tờ khai (mẫu mới)"
    # the published version did not move
    assert published.fees.count() == 2
