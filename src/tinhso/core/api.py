"""Health endpoint: is the process up and does the database answer."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from ninja import Router, Schema

router = Router(tags=["Hệ thống"])


class HealthOut(Schema):
    status: str
    database: str
    time: str


@router.get("/health", response=HealthOut, auth=None, summary="Tình trạng hệ thống")
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "database": connection.vendor, "time": timezone.localtime().isoformat()}
