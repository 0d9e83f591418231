"""core.idempotency: one run per key, replays, key reuse with another body, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tinhso.core.errors import ValidationFailed
from tinhso.core.idempotency import idempotency_purge, idempotency_run
from tinhso.core.models import IdempotencyRecord, Sequence
from tinhso.core.sequences import sequence_next

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(django_user_model):
    return django_user_model.objects.create(username="tich-hop", kind="service")


def creating():
    return 201, {"number": sequence_next(scope="idem-test")}


def run(user, key, fingerprint="a", **kwargs):
    return idempotency_run(user=user, key=key, method="POST", path="/api/v1/x", fingerprint=fingerprint,
                           run=creating, **kwargs)


def test_same_key_same_body_runs_once_and_replays(caller):
    first, again = run(caller, "k1"), run(caller, "k1")
    assert (first.status, first.body, first.replayed) == (201, {"number": 1}, False)
    assert (again.status, again.body, again.replayed) == (201, {"number": 1}, True)
    assert Sequence.objects.get(scope="idem-test").value == 1


def test_same_key_other_body_is_refused(caller):
    run(caller, "k1", fingerprint="a")
    with pytest.raises(ValidationFailed) as caught:
        run(caller, "k1", fingerprint="b")
    assert caught.value.code == "idempotency_key_reused"


def test_keys_are_per_user_and_optional(caller, django_user_model):
    other = django_user_model.objects.create(username="khac", kind="service")
    assert run(caller, "k1").body == {"number": 1}
    assert run(other, "k1").body == {"number": 2}
    assert run(caller, None).body == {"number": 3} and run(caller, "").body == {"number": 4}
    assert run(AnonymousUser(), "k1").body == {"number": 5}  # nobody to scope the key to
    assert IdempotencyRecord.objects.count() == 2


def test_failures_are_not_stored(caller):
    def failing():
        raise ValidationFailed("sai", code="invalid_input")

    with pytest.raises(ValidationFailed):
        idempotency_run(user=caller, key="k1", method="POST", path="/p", fingerprint="a", run=failing)
    assert not IdempotencyRecord.objects.exists()
    assert run(caller, "k1").replayed is False


def test_records_expire(caller, settings):
    settings.TINHSO_IDEMPOTENCY_TTL_HOURS = 24
    run(caller, "k1")
    later = timezone.now() + timedelta(hours=25)
    fresh = run(caller, "k1", now=later)
    assert fresh.replayed is False and fresh.body == {"number": 2}
    assert idempotency_purge(now=later + timedelta(hours=25)) == 1


def test_bad_key_is_refused(caller):
    with pytest.raises(ValidationFailed) as caught:
        run(caller, "x" * 300)
    assert caught.value.code == "invalid_idempotency_key"
