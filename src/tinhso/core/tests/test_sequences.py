import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tinhso.core.sequences import sequence_current, sequence_next
from tinhso.core.tests.threads import in_threads

pytestmark = pytest.mark.django_db


def test_numbers_start_at_one_and_follow_each_other():
    with transaction.atomic():
        assert [sequence_next(scope="dossier:H44") for _ in range(3)] == [1, 2, 3]
    assert sequence_current(scope="dossier:H44") == 3


def test_each_scope_and_period_counts_on_its_own():
    with transaction.atomic():
        assert sequence_next(scope="document:QĐ", period="2026") == 1
        assert sequence_next(scope="document:QĐ", period="2026") == 2
        assert sequence_next(scope="document:QĐ", period="2027") == 1  # restarts each year
        assert sequence_next(scope="document:CV", period="2026") == 1


def test_scope_in_decomposed_unicode_is_the_same_counter():
    import unicodedata

    with transaction.atomic():
        assert sequence_next(scope="sổ:Văn bản đến") == 1
        assert sequence_next(scope=unicodedata.normalize("NFD", "sổ:Văn bản đến")) == 2


def test_rolled_back_number_is_handed_out_again():
    with transaction.atomic():
        assert sequence_next(scope="receipt") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sequence_next(scope="receipt") == 2
        raise RuntimeError("the receipt could not be saved")
    with transaction.atomic():
        assert sequence_next(scope="receipt") == 2


def test_rolled_back_savepoint_gives_its_number_back():
    with transaction.atomic():
        assert sequence_next(scope="incoming") == 1
        with pytest.raises(RuntimeError), transaction.atomic():
            sequence_next(scope="incoming")
            raise RuntimeError
        assert sequence_next(scope="incoming") == 2


def test_refused_outside_a_transaction(monkeypatch):
    # The test itself runs inside a transaction; pretend the caller forgot atomic().
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", False)
    with pytest.raises(transaction.TransactionManagementError):
        sequence_next(scope="dossier")


def test_needs_a_scope():
    with pytest.raises(ValueError), transaction.atomic():
        sequence_next(scope="")


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_every_number_once_and_rollbacks_leave_no_gap(threads_share_database):
    def take_five(thread):
        numbers = []
        for call in range(5):
            try:
                with transaction.atomic():
                    number = sequence_next(scope="dossier:H44.12", period="260105")
                    if (thread + call) % 4 == 0:
                        raise RuntimeError("the dossier could not be saved")
                    numbers.append(number)
            except RuntimeError:
                pass
        return numbers

    taken = [n for numbers in in_threads(20, take_five) for n in numbers]
    assert len(taken) == 75  # 25 of the 100 transactions rolled back
    assert sorted(taken) == list(range(1, 76))
    assert sequence_current(scope="dossier:H44.12", period="260105") == 75
