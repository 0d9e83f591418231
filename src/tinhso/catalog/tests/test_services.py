"""Drafting and publishing versions: copies, checks with Vietnamese messages, audit and events."""

import datetime as dt

import pytest
from django.utils import timezone

from tinhso.accounts.tests.factories import UserFactory
from tinhso.catalog.models import Procedure, ProcedureVersion, ProcessDefinition, Step
from tinhso.catalog.selectors import procedure_current_version, procedure_search
from tinhso.catalog.services import (
    procedure_create,
    procedure_version_discard,
    procedure_version_draft,
    procedure_version_publish,
)
from tinhso.catalog.services.records import sector_ensure
from tinhso.catalog.tests.factories import full_record, import_records
from tinhso.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from tinhso.core.models import AuditEntry
from tinhso.core.testing import captured_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(agencies):
    import_records([full_record()])
    return Procedure.objects.get(code="1.900101")


def test_draft_copies_every_part_of_the_current_version(procedure, catalog_admin):
    current = procedure.current_version
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)

    assert (draft.number, draft.status) == (2, "draft")
    assert draft.name == current.name and draft.processing_time_value == current.processing_time_value
    assert list(draft.documents.values_list("code", flat=True)) == list(current.documents.values_list("code", flat=True))
    assert draft.fees.count() == current.fees.count() == 2
    assert set(draft.agency_links.values_list("agency__code", "role")) == {
        ("H44.101.01", "receiving"), ("H44.101", "competent")}
    steps = list(Step.objects.filter(definition__version=draft).values_list("code", flat=True))
    assert steps == ["tham-dinh", "ky-duyet", "tra-ket-qua"]
    transitions = draft.process.transitions.select_related("from_step", "to_step")
    assert all(t.from_step.definition_id == draft.process.pk for t in transitions)
    assert AuditEntry.objects.filter(action="catalog.version_drafted", target_id=str(draft.pk)).exists()


def test_only_one_draft_at_a_time(procedure, catalog_admin):
    procedure_version_draft(actor=catalog_admin, procedure=procedure)
    with pytest.raises(Conflict) as error:
        procedure_version_draft(actor=catalog_admin, procedure=procedure)
    assert error.value.code == "draft_exists"


def test_publishing_a_draft_makes_it_current_audits_and_announces(procedure, catalog_admin):
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    draft.name = "Đăng ký thử nghiệm (sửa đổi 2026)"
    draft.save()

    with captured_events(deliver=False) as events:
        procedure_version_publish(actor=catalog_admin, version=draft)

    draft.refresh_from_db()
    assert draft.status == "published" and draft.is_complete and draft.published_by == catalog_admin
    assert procedure_current_version(procedure=procedure) == draft
    procedure.refresh_from_db()
    assert procedure.current_version == draft
    event = events.one("catalog.procedure_published")
    assert event.payload["code"] == "1.900101" and event.payload["version"] == 2
    assert AuditEntry.objects.filter(action="catalog.version_published", target_id=str(draft.pk)).exists()
    # the search sees the new name at once
    assert [p.code for p in procedure_search(q="sua doi 2026").items] == ["1.900101"]


def test_published_version_cannot_be_published_again(procedure, catalog_admin):
    with pytest.raises(Conflict) as error:
        procedure_version_publish(actor=catalog_admin, version=procedure.current_version)
    assert error.value.code == "version_published"


def test_publish_lists_every_missing_part_in_vietnamese(catalog_admin, agencies):
    sector = sector_ensure(name="Hộ tịch")
    draft = procedure_create(actor=catalog_admin, code="1.900200", name="Thủ tục mới soạn", sector=sector)

    with pytest.raises(ValidationFailed) as error:
        procedure_version_publish(actor=catalog_admin, version=draft)

    assert error.value.code == "version_not_publishable"
    messages = [e["message"] for e in error.value.errors]
    for expected in ("Thiếu trình tự thực hiện.", "Thiếu thành phần, số lượng hồ sơ.",
                     "Thiếu thời hạn giải quyết (số và đơn vị).", "Thiếu đối tượng thực hiện.",
                     "Chưa chỉ định cơ quan tiếp nhận hồ sơ.", "Chưa có quy trình nội bộ.", "Thiếu căn cứ pháp lý."):
        assert expected in messages
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publish_refuses_an_invalid_eform_and_an_invalid_process(procedure, catalog_admin):
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    draft.eform_schema = {"type": "object", "properties": {"ho_ten": {"type": "text", "title": "Họ tên"}}}
    draft.save()
    Step.objects.filter(definition__version=draft, code="ky-duyet").update(role="giam_doc")

    with pytest.raises(ValidationFailed) as error:
        procedure_version_publish(actor=catalog_admin, version=draft)

    messages = " ".join(e["message"] for e in error.value.errors)
    assert "Kiểu “text” không được hỗ trợ" in messages
    assert "Vai trò “giam_doc” không hợp lệ" in messages


def test_publish_refuses_steps_longer_than_the_processing_time(procedure, catalog_admin):
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    Step.objects.filter(definition__version=draft, code="tham-dinh").update(duration_value=2, duration_unit="working_days")
    with pytest.raises(ValidationFailed) as error:
        procedure_version_publish(actor=catalog_admin, version=draft)
    assert "vượt thời hạn 1 ngày làm việc" in error.value.errors[0]["message"]


def test_future_version_becomes_current_on_its_day(procedure, catalog_admin):
    old = procedure.current_version
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    start = timezone.localdate() + dt.timedelta(days=10)
    procedure_version_publish(actor=catalog_admin, version=draft, effective_from=start)

    assert procedure_current_version(procedure=procedure) == old
    assert procedure_current_version(procedure=procedure, at=start) == draft
    assert procedure_current_version(procedure=procedure, at=start - dt.timedelta(days=1)) == old


def test_the_date_of_effect_written_on_the_draft_is_the_one_published(procedure, catalog_admin):
    # The administrator types the decision's date of effect into the draft, then presses "publish".
    old = procedure.current_version
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    start = timezone.localdate() + dt.timedelta(days=30)
    ProcedureVersion.objects.filter(pk=draft.pk).update(effective_from=start, decision_ref="15/QĐ-UBND")

    published = procedure_version_publish(actor=catalog_admin, version=draft)

    assert (published.effective_from, published.decision_ref) == (start, "15/QĐ-UBND")
    assert procedure_current_version(procedure=procedure) == old
    assert procedure_current_version(procedure=procedure, at=start) == published

    late = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    ProcedureVersion.objects.filter(pk=late.pk).update(effective_from=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as error:
        procedure_version_publish(actor=catalog_admin, version=late)
    assert error.value.code == "invalid_effective_from"


def test_effective_date_in_the_past_is_refused(procedure, catalog_admin):
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    with pytest.raises(ValidationFailed) as error:
        procedure_version_publish(actor=catalog_admin, version=draft,
                                  effective_from=timezone.localdate() - dt.timedelta(days=1))
    assert error.value.code == "invalid_effective_from"


def test_only_catalogue_administrators_draft_and_publish(procedure, db):
    from tinhso.org.tests.factories import AgencyFactory, MembershipFactory

    officer = UserFactory(username="chuyenvien.thu")
    with pytest.raises(PermissionDenied) as error:
        procedure_version_draft(actor=officer, procedure=procedure)
    assert error.value.code == "catalog_forbidden"
    with pytest.raises(NotAuthenticated):
        procedure_version_draft(actor=None, procedure=procedure)

    province = AgencyFactory(code="H44", name="Ủy ban nhân dân tỉnh", kind="people_committee")
    MembershipFactory(user=officer, agency=province, role="admin")
    draft = procedure_version_draft(actor=officer, procedure=procedure)
    assert draft.created_by == officer


def test_discarding_a_draft_leaves_the_published_versions(procedure, catalog_admin):
    draft = procedure_version_draft(actor=catalog_admin, procedure=procedure)
    procedure_version_discard(actor=catalog_admin, version=draft)
    assert list(procedure.versions.values_list("number", flat=True)) == [1]
    assert ProcessDefinition.objects.filter(version__procedure=procedure).count() == 1
    with pytest.raises(Conflict):
        procedure_version_discard(actor=catalog_admin, version=ProcedureVersion.objects.get(procedure=procedure))


def test_new_draft_from_a_published_version_can_be_published(procedure, catalog_admin):
    """The issue's example: a published version cannot be edited; a new version can."""
    v1 = procedure.current_version
    v1.name = "Sửa trực tiếp"
    with pytest.raises(Conflict):
        v1.save()
    v2 = procedure_version_draft(actor=catalog_admin, procedure=procedure, from_version=v1)
    v2.name = "Sửa qua phiên bản mới"
    v2.save()
    procedure_version_publish(actor=catalog_admin, version=v2)
    procedure.refresh_from_db()
    assert procedure.current_version.name == "Sửa qua phiên bản mới"
    assert ProcedureVersion.objects.get(pk=v1.pk).name == "Đăng ký thử nghiệm đầy đủ"
