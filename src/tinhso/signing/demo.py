"""The signing slice of the demo province: ``tinhso demo load`` runs ``tinhso pki demo-init``."""

from __future__ import annotations

from tinhso.org.demo import DemoContext, demo_loader
from tinhso.signing.services import pki_demo_init


# After org and accounts (10–49), before the one-stop shop (200+) whose demo results get signed.
@demo_loader("signing.pki", order=90)
def load_pki(ctx: DemoContext) -> None:
    summary = pki_demo_init(actor=None)
    ctx.log(
        f"  chứng thư số mới: {summary.agency_certificates} cơ quan, {summary.personal_certificates} cá nhân"
    )
