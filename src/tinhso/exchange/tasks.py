"""Background task of the exchange (django-tasks; run by ``tinhso db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_due() -> int:
    """Send what is due, enqueued when a delivery is queued; ``tinhso exchange deliver --loop`` (in the
    periodic jobs) picks up the retries."""
    from tinhso.exchange.delivery import deliveries_run

    return deliveries_run()
