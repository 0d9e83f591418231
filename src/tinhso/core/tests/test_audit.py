import unicodedata
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError

from tinhso.core.audit import (
    GENESIS_HASH,
    audit_personal_data_read,
    audit_record,
    audit_verify,
)
from tinhso.core.models import AuditEntry, Sequence
from tinhso.core.tests.threads import in_threads

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return get_user_model().objects.create_user(username="an.nv", password=None, full_name="Nguyễn Văn An")


@pytest.fixture
def target():
    with transaction.atomic():
        return Sequence.objects.create(scope="dossier:H44", period="2026")


def record_some(officer, target, n=5):
    return [audit_record(actor=officer, action="dossier.receive", target=target, data={"i": i}) for i in range(n)]


def raw_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_entries_are_numbered_and_chained(officer, target):
    first, second = record_some(officer, target, 2)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert len(first.hash) == 64 and first.hash != second.hash


def test_entry_fields(officer, target):
    entry = audit_record(actor=officer, action="dossier.receive", target=target,
                         data={"received_on": date(2026, 1, 5), "fee": 1.5})
    entry = AuditEntry.objects.get(seq=entry.seq)
    assert entry.actor == officer
    assert entry.actor_label == "Nguyễn Văn An (an.nv)"
    assert (entry.target_type, entry.target_id) == ("core.sequence", str(target.pk))
    assert entry.data == {"received_on": "2026-01-05", "fee": "1.5"}


def test_system_anonymous_and_named_jobs(target):
    assert audit_record(actor=None, action="report.rollup").actor_label == "Hệ thống"
    assert audit_record(actor=AnonymousUser(), action="petition.submit").actor_label == "Khách (chưa đăng nhập)"
    job = audit_record(actor=None, action="sync", actor_label=unicodedata.normalize("NFD", "Đồng bộ DVCQG"))
    assert job.actor_label == "Đồng bộ DVCQG"
    assert audit_verify().ok


def test_unsaved_target_is_refused():
    with pytest.raises(ValueError):
        audit_record(actor=None, action="x", target=Sequence(scope="never saved"))


def test_verify_ok(officer, target):
    record_some(officer, target, 6)
    result = audit_verify()
    assert (result.ok, result.checked, result.first_bad_seq) == (True, 6, None)


def test_verify_empty_log_is_ok():
    assert audit_verify().ok


def test_verify_names_the_entry_changed_with_sql(officer, target):
    record_some(officer, target, 6)
    raw_sql("UPDATE core_auditentry SET action = %s WHERE seq = %s", ["dossier.refuse", 4])
    result = audit_verify()
    assert (result.ok, result.checked, result.first_bad_seq) == (False, 3, 4)
    assert "bản ghi số 4 đã bị sửa" in result.reason


def test_verify_detects_data_change(officer, target):
    record_some(officer, target, 3)
    raw_sql("UPDATE core_auditentry SET data = %s WHERE seq = %s", ['{"i": 99}', 2])
    assert audit_verify().first_bad_seq == 2


def test_verify_detects_rewritten_hash_through_the_next_link(officer, target):
    record_some(officer, target, 4)
    # A careful forger recomputes entry 2's own hash; entry 3 still points at the old one.
    raw_sql("UPDATE core_auditentry SET hash = %s WHERE seq = %s", ["f" * 64, 2])
    result = audit_verify()
    assert result.first_bad_seq == 2  # entry 2's hash no longer matches its content
    raw_sql("UPDATE core_auditentry SET hash = %s WHERE seq = %s", ["e" * 64, 2])
    assert audit_verify().first_bad_seq == 2


def test_verify_detects_deleted_row(officer, target):
    record_some(officer, target, 5)
    raw_sql("DELETE FROM core_auditentry WHERE seq = %s", [3])
    result = audit_verify()
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert "Thiếu bản ghi số 3" in result.reason


def test_verify_detects_deleted_tail(officer, target):
    record_some(officer, target, 5)
    raw_sql("DELETE FROM core_auditentry WHERE seq >= %s", [4])
    result = audit_verify()
    assert (result.ok, result.checked, result.first_bad_seq) == (False, 3, 4)
    assert "từ số 4 đến số 5" in result.reason


def test_orm_refuses_update_and_delete(officer, target):
    entry = audit_record(actor=officer, action="dossier.receive", target=target)
    entry.action = "dossier.refuse"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(seq=entry.seq).update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert audit_verify().ok


def test_person_in_the_log_cannot_be_deleted(officer, target):
    audit_record(actor=officer, action="dossier.receive", target=target)
    with pytest.raises(ProtectedError):
        officer.delete()


def test_personal_data_read_is_logged(officer):
    citizen = get_user_model().objects.create_user(username="citizen", password=None)
    entry = audit_personal_data_read(actor=officer, target=citizen, fields=["phone", "id_number", "phone"])
    assert entry.action == "personal_data.read"
    assert entry.data == {"fields": ["id_number", "phone"]}
    assert (entry.target_type, entry.target_id) == ("accounts.user", str(citizen.pk))


def test_entry_rolled_back_with_its_transaction_leaves_no_gap(officer, target):
    audit_record(actor=officer, action="a", target=target)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=officer, action="b", target=target)
        raise RuntimeError
    audit_record(actor=officer, action="c", target=target)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "action")) == [(1, "a"), (2, "c")]
    assert audit_verify().ok


def test_verify_command_ok(officer, target, capsys):
    record_some(officer, target, 3)
    call_command("audit", "verify")
    assert "đã kiểm tra 3 bản ghi" in capsys.readouterr().out


def test_verify_command_fails_and_names_the_entry(officer, target):
    record_some(officer, target, 3)
    raw_sql("UPDATE core_auditentry SET actor_label = %s WHERE seq = %s", ["Người khác", 2])
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify")
    assert info.value.returncode == 1
    assert "bản ghi số 2" in str(info.value)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(threads_share_database):
    def write(index):
        return [audit_record(actor=None, action=f"worker.{index}", data={"n": n}).seq for n in range(4)]

    seqs = [seq for batch in in_threads(8, write) for seq in batch]
    assert sorted(seqs) == list(range(1, 33))
    result = audit_verify()
    assert (result.ok, result.checked) == (True, 32)
