"""The ratings slice of the demo province (docs/demo.md, docs/ratings.md): the kiosk tablet of desk 1 at the
Việt Trì service centre, whose officer is ``motcua.viettri``. Idempotent: one desk, created once."""

from __future__ import annotations

from tinhso.org.demo import DemoContext, demo_loader
from tinhso.org.models import Agency


@demo_loader("ratings.kiosk", order=410)
def load_kiosk(ctx: DemoContext) -> None:
    from django.conf import settings

    from tinhso.accounts.models import User
    from tinhso.ratings.models import KioskDesk
    from tinhso.ratings.services import kiosk_desk_create

    agency = Agency.objects.get(code="H44.101.01")
    desk = KioskDesk.objects.filter(agency=agency, name="Quầy số 1").first()
    if desk is None:
        desk = kiosk_desk_create(agency=agency, name="Quầy số 1",
                                 officer=User.objects.filter(username="motcua.viettri").first())
    ctx.log(f"đánh giá: máy tính bảng quầy số 1 phường Việt Trì — {settings.PUBLIC_URL}/quay-danh-gia/{desk.token}/")
