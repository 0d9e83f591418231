"""The people of the demo province as accounts: the superuser, the staff with their memberships and
the applicants defined in ``org.demo.province`` (docs/demo.md). Here, not in org, because accounts
sits above org: org never imports accounts."""

from __future__ import annotations

from tinhso.accounts.services import user_ensure
from tinhso.org.demo import DemoContext, DemoLogin, demo_loader
from tinhso.org.demo.province import AGENCIES, APPLICANTS, STAFF, SUPERUSER
from tinhso.org.models import Agency, Department
from tinhso.org.roles import Role
from tinhso.org.services import membership_grant


def _logins() -> list[DemoLogin]:
    agencies = {spec.code: spec.short_name for spec in AGENCIES}
    rows = [DemoLogin(SUPERUSER[0], SUPERUSER[1], "Quản trị hệ thống (toàn quyền trang /admin/)", "—")]
    for spec in STAFF:
        for agency_code, role, _department in spec.roles:
            rows.append(DemoLogin(spec.username, spec.full_name, Role(role).label, f"{agencies[agency_code]} ({agency_code})"))
    for applicant in APPLICANTS:
        label = "Công dân" if applicant.kind == "citizen" else "Doanh nghiệp"
        rows.append(DemoLogin(applicant.username, applicant.full_name, label, "—"))
    return rows


@demo_loader("accounts.people", order=40, logins=_logins)
def load_people(ctx: DemoContext) -> None:
    agencies = ctx.objects.get("agencies") or {a.code: a for a in Agency.objects.filter(code__startswith="H44")}
    departments = {
        (d.agency.code, d.code): d for d in Department.objects.select_related("agency").filter(agency__in=agencies.values())
    }
    changed = 0
    changed += user_ensure(
        actor=None, username=SUPERUSER[0], kind="staff", full_name=SUPERUSER[1], password_hash=ctx.password_hash,
        is_staff=True, is_superuser=True, email="admin@tinhso.example.com",
    )[1]
    for spec in STAFF:
        user, user_changed = user_ensure(
            actor=None, username=spec.username, kind="staff", full_name=spec.full_name,
            password_hash=ctx.password_hash, email=f"{spec.username}@phutho.example.gov.vn",
        )
        changed += user_changed
        for agency_code, role, department in spec.roles:
            changed += membership_grant(
                actor=None,
                user=user,
                agency=agencies[agency_code],
                role=role,
                department=departments[(agency_code, department)] if department else None,
            )[1]
    for applicant in APPLICANTS:
        changed += user_ensure(
            actor=None,
            username=applicant.username,
            kind=applicant.kind,
            full_name=applicant.full_name,
            password_hash=ctx.password_hash,
            id_number=applicant.id_number,
            tax_code=applicant.tax_code,
            birth_date=applicant.birth_date,
            gender=applicant.gender,
            phone=applicant.phone,
            email=applicant.email,
            address=applicant.address,
        )[1]
    ctx.log(
        f"  tài khoản: 1 quản trị, {len(STAFF)} cán bộ, {len(APPLICANTS)} người nộp hồ sơ ({changed} thay đổi)"
    )
