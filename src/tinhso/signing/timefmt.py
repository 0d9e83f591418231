"""Vietnam time for stamps and reports: NĐ 30/2020 (vn-standards §7.5) wants ``dd/mm/yyyy hh:mm:ss +07:00``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact.
VN_TZ = timezone(timedelta(hours=7), "+07:00")


def vn_datetime(moment: datetime) -> str:
    """``21/11/2026 09:30:05 +07:00`` — the signing time as the stamp and the verify page print it."""
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S +07:00")


def vn_iso(moment: datetime) -> str:
    """ISO 8601 with the +07:00 offset, as the API answers (DESIGN §5.12)."""
    return moment.astimezone(VN_TZ).isoformat()
