"""The demo province: Tỉnh Phú Thọ (DVCQG code H44) after the merger of 01/07/2025.

Phú Thọ, Vĩnh Phúc and Hòa Bình merged into Tỉnh Phú Thọ (``data/provinces-2025.json``); the new
province kept GSO code 25, the code of old Phú Thọ, which means its centre — Việt Trì — is the capital
(vn-standards §2.3: the merged province takes the code of the province whose centre became the
capital). Everything here is real where it can be (unit names and GSO codes, ward list) and
illustrative where the real value is not public: agency codes below H44, people, identifiers.
The people (staff, applicants) are defined here with the agencies they work in; their accounts are
created by the ``accounts.people`` loader in ``accounts/demo.py`` (org may not import accounts).
See docs/demo.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tinhso.core.validators import agency_identifier_from_code
from tinhso.org.demo.registry import DemoContext, demo_loader
from tinhso.org.models import AdministrativeUnit, Agency
from tinhso.org.roles import Role
from tinhso.org.services import administrative_units_load, agency_ensure, department_ensure
from tinhso.workdays.models import WorkCalendar
from tinhso.workdays.services import work_calendar_create, workdays_seed

PROVINCE_DVC_CODE = "H44"
PROVINCE_UNIT = "25"
CALENDAR_CODE = "PT"
CALENDAR_NAME = "Lịch làm việc tỉnh Phú Thọ"
CALENDAR_YEARS = range(2018, 2028)
ADDRESS = "tỉnh Phú Thọ"

P, C = Agency.Level.PROVINCE, Agency.Level.COMMUNE
K = Agency.Kind


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    parent: str | None
    unit: str  # GSO code of the administrative unit
    address: str
    departments: tuple[tuple[str, str], ...] = ()
    # QCVN 102 identifier (vn-standards §2.1); empty: derived from the code (agency_identifier_from_code).
    identifier: str = ""


def _commune(code: str, unit: str, name: str, *, is_ward: bool, level2: int) -> list[AgencySpec]:
    """UBND of a commune/ward plus its own Trung tâm Phục vụ hành chính công (NĐ 118/2025, vn-standards §0).

    A commune's QĐ 20 group (``101``) does not fit QCVN 102's two-digit level 2, so its 13-character
    identifier is given explicitly (``level2``; illustrative like the codes)."""
    place = f"{'phường' if is_ward else 'xã'} {name}"
    economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if is_ward else "Phòng Kinh tế"
    address = f"{place[0].upper()}{place[1:]}, {ADDRESS}"
    return [
        AgencySpec(
            code, f"Ủy ban nhân dân {place}", f"UBND {place}", C, K.PEOPLE_COMMITTEE, PROVINCE_DVC_CODE, unit, address,
            (("VP", "Văn phòng HĐND và UBND"), ("KT", economy), ("VHXH", "Phòng Văn hóa - Xã hội")),
            identifier=f"000.00.{level2:02d}.{PROVINCE_DVC_CODE}",
        ),
        AgencySpec(
            f"{code}.01", f"Trung tâm Phục vụ hành chính công {place}", f"TTPVHCC {place}", C, K.SERVICE_CENTER,
            code, unit, address, (("TNTKQ", "Bộ phận Tiếp nhận và trả kết quả"),),
            identifier=f"000.01.{level2:02d}.{PROVINCE_DVC_CODE}",
        ),
    ]


_PT = f"Phường Việt Trì, {ADDRESS}"
AGENCIES: list[AgencySpec] = [
    AgencySpec("H44", "Ủy ban nhân dân tỉnh Phú Thọ", "UBND tỉnh Phú Thọ", P, K.PEOPLE_COMMITTEE, None, PROVINCE_UNIT, _PT),
    AgencySpec(
        "H44.01", "Văn phòng Ủy ban nhân dân tỉnh Phú Thọ", "Văn phòng UBND tỉnh", P, K.OFFICE, "H44", PROVINCE_UNIT, _PT,
        (("HCTC", "Phòng Hành chính - Tổ chức"), ("KSTT", "Phòng Kiểm soát thủ tục hành chính")),
    ),
    AgencySpec(
        "H44.01.01", "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ", "TTPVHCC tỉnh", P, K.SERVICE_CENTER, "H44.01",
        PROVINCE_UNIT, _PT, (("TNTKQ", "Bộ phận Tiếp nhận và trả kết quả"),),
    ),
    AgencySpec(
        "H44.02", "Sở Tư pháp tỉnh Phú Thọ", "Sở Tư pháp", P, K.DEPARTMENT, "H44", PROVINCE_UNIT, _PT,
        (("VP", "Văn phòng Sở"), ("HCTP", "Phòng Hành chính tư pháp"), ("BTTP", "Phòng Bổ trợ tư pháp")),
    ),
    AgencySpec(
        "H44.03", "Sở Xây dựng tỉnh Phú Thọ", "Sở Xây dựng", P, K.DEPARTMENT, "H44", PROVINCE_UNIT, _PT,
        (("VP", "Văn phòng Sở"), ("QLXD", "Phòng Quản lý xây dựng")),
    ),
    AgencySpec(
        "H44.04", "Sở Tài chính tỉnh Phú Thọ", "Sở Tài chính", P, K.DEPARTMENT, "H44", PROVINCE_UNIT, _PT,
        (("VP", "Văn phòng Sở"), ("DKKD", "Phòng Đăng ký kinh doanh")),
    ),
    AgencySpec(
        "H44.05", "Sở Nội vụ tỉnh Phú Thọ", "Sở Nội vụ", P, K.DEPARTMENT, "H44", PROVINCE_UNIT, _PT,
        (("VP", "Văn phòng Sở"),),
    ),
    AgencySpec(
        "H44.06", "Sở Nông nghiệp và Môi trường tỉnh Phú Thọ", "Sở Nông nghiệp và Môi trường", P, K.DEPARTMENT, "H44",
        PROVINCE_UNIT, _PT, (("VP", "Văn phòng Sở"), ("QLDD", "Phòng Quản lý đất đai")),
    ),
    # Công an tỉnh belongs to the Ministry of Public Security's code tree in reality; it sits under
    # H44 here only to keep the demo tree in one place (docs/demo.md).
    AgencySpec(
        "H44.07", "Công an tỉnh Phú Thọ", "Công an tỉnh", P, K.POLICE, "H44", PROVINCE_UNIT, _PT,
        (("PTM", "Phòng Tham mưu"), ("PC06", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội")),
    ),
    *_commune("H44.101", "07900", "Việt Trì", is_ward=True, level2=51),
    *_commune("H44.102", "08716", "Vĩnh Phúc", is_ward=True, level2=52),
    *_commune("H44.103", "04795", "Hòa Bình", is_ward=True, level2=53),
    *_commune("H44.104", "08494", "Lâm Thao", is_ward=False, level2=54),
]


@dataclass(frozen=True)
class StaffSpec:
    username: str
    full_name: str
    roles: tuple[tuple[str, str, str | None], ...]  # (agency code, role, department code)


STAFF: list[StaffSpec] = [
    StaffSpec("motcua.tinh", "Nguyễn Thị Thu Hà", (("H44.01.01", Role.RECEPTION, "TNTKQ"),)),
    StaffSpec("chuyenvien.stp", "Trần Văn Minh", (("H44.02", Role.SPECIALIST, "HCTP"),)),
    StaffSpec("truongphong.stp", "Lê Thị Hồng Nhung", (("H44.02", Role.UNIT_HEAD, "HCTP"),)),
    StaffSpec("giamdoc.stp", "Phạm Quang Huy", (("H44.02", Role.LEADER, None),)),
    StaffSpec("vanthu.stp", "Đỗ Thị Lan Anh", (("H44.02", Role.CLERK, "VP"),)),
    StaffSpec("chuyenvien.sxd", "Bùi Đức Thắng", (("H44.03", Role.SPECIALIST, "QLXD"),)),
    StaffSpec("truongphong.sxd", "Nguyễn Thế Cường", (("H44.03", Role.UNIT_HEAD, "QLXD"),)),
    StaffSpec("giamdoc.sxd", "Hoàng Thị Thu Trang", (("H44.03", Role.LEADER, None),)),
    StaffSpec("vanthu.sxd", "Lý Thị Hằng", (("H44.03", Role.CLERK, "VP"),)),
    StaffSpec("chuyenvien.stc", "Vương Đình Khải", (("H44.04", Role.SPECIALIST, "DKKD"),)),
    StaffSpec("truongphong.stc", "Phùng Thị Diệu Linh", (("H44.04", Role.UNIT_HEAD, "DKKD"),)),
    StaffSpec("giamdoc.stc", "Mạc Văn Hưng", (("H44.04", Role.LEADER, None),)),
    StaffSpec("vanthu.stc", "Âu Thị Kiều Oanh", (("H44.04", Role.CLERK, "VP"),)),
    # Công an tỉnh stands in for commune police in the residence procedures (catalog demo note).
    StaffSpec("canbo.cat", "Triệu Văn Quân", (("H44.07", Role.SPECIALIST, "PC06"),)),
    StaffSpec("truongphong.cat", "Lục Thị Thanh", (("H44.07", Role.UNIT_HEAD, "PC06"),)),
    StaffSpec("lanhdao.cat", "Đoàn Mạnh Hùng", (("H44.07", Role.LEADER, None),)),
    StaffSpec("vanthu.cat", "Ninh Thị Nga", (("H44.07", Role.CLERK, "PTM"),)),
    StaffSpec("lanhdao.tinh", "Đặng Minh Khoa", (("H44", Role.LEADER, None),)),
    # The Văn phòng UBND tỉnh keeps the seal of the UBND tỉnh (NĐ 30/2020 Art. 32–33), so its văn thư
    # is also the clerk of H44.
    StaffSpec("vanthu.tinh", "Hà Thị Phương", (("H44.01", Role.CLERK, "HCTC"), ("H44", Role.CLERK, None))),
    StaffSpec("quantri.tinh", "Hoàng Văn Tuấn", (("H44", Role.ADMIN, None),)),
    StaffSpec("giamsat.tinh", "Vũ Thị Ngọc Ánh", (("H44", Role.MONITOR, None),)),
    StaffSpec("motcua.viettri", "Ngô Thị Mai", (("H44.101.01", Role.RECEPTION, "TNTKQ"),)),
    StaffSpec("chuyenvien.viettri", "Đinh Văn Phúc", (("H44.101", Role.SPECIALIST, "VHXH"),)),
    StaffSpec("chutich.viettri", "Trịnh Thị Thanh Hương", (("H44.101", Role.LEADER, None),)),
    StaffSpec("vanthu.viettri", "Lương Văn Sơn", (("H44.101", Role.CLERK, "VP"),)),
    StaffSpec("motcua.vinhphuc", "Kim Thị Hạnh", (("H44.102.01", Role.RECEPTION, "TNTKQ"),)),
    StaffSpec("chuyenvien.vinhphuc", "Tạ Quang Vinh", (("H44.102", Role.SPECIALIST, "KT"),)),
    StaffSpec("chutich.vinhphuc", "Nguyễn Hữu Phước", (("H44.102", Role.LEADER, None),)),
    StaffSpec("vanthu.vinhphuc", "Đồng Thị Thảo", (("H44.102", Role.CLERK, "VP"),)),
    StaffSpec("motcua.hoabinh", "Bùi Thị Lụa", (("H44.103.01", Role.RECEPTION, "TNTKQ"),)),
    StaffSpec("chuyenvien.hoabinh", "Quách Văn Tâm", (("H44.103", Role.SPECIALIST, "VHXH"),)),
    StaffSpec("chutich.hoabinh", "Đinh Công Thành", (("H44.103", Role.LEADER, None),)),
    StaffSpec("vanthu.hoabinh", "Xa Văn Hùng", (("H44.103", Role.CLERK, "VP"),)),
    StaffSpec("motcua.lamthao", "Phan Thị Ngọc", (("H44.104.01", Role.RECEPTION, "TNTKQ"),)),
    StaffSpec("chuyenvien.lamthao", "Cao Văn Lực", (("H44.104", Role.SPECIALIST, "KT"),)),
    StaffSpec("chutich.lamthao", "Trương Minh Đức", (("H44.104", Role.LEADER, None),)),
    StaffSpec("vanthu.lamthao", "Chu Thị Yến", (("H44.104", Role.CLERK, "VP"),)),
]

SUPERUSER = ("admin", "Quản trị hệ thống")


@dataclass(frozen=True)
class ApplicantSpec:
    """Identifiers are made up but valid: the 12-digit number matches the birth year and gender
    (vn-standards §9.1: 025 = birth registered in Phú Thọ, 026 = Vĩnh Phúc); the tax code has a
    correct mod-11 check digit (§9.2)."""

    kind: str
    full_name: str
    id_number: str | None = None
    tax_code: str | None = None
    birth_date: dt.date | None = None
    gender: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    @property
    def username(self) -> str:
        return self.id_number or self.tax_code or ""


APPLICANTS: list[ApplicantSpec] = [
    ApplicantSpec(
        "citizen", "Nguyễn Văn An", id_number="025085001234", birth_date=dt.date(1985, 3, 12), gender="male",
        phone="0912000101", email="nguyen.van.an@example.com", address="Phường Việt Trì, tỉnh Phú Thọ",
    ),
    ApplicantSpec(
        "citizen", "Trần Thị Bình", id_number="026301004567", birth_date=dt.date(2001, 7, 20), gender="female",
        phone="0987000202", email="tran.thi.binh@example.com", address="Phường Vĩnh Phúc, tỉnh Phú Thọ",
    ),
    ApplicantSpec(
        "business", "Công ty TNHH Chè Đất Tổ", tax_code="2601234567", phone="0962000303",
        email="lienhe@chedatto.example.com", address="Xã Lâm Thao, tỉnh Phú Thọ",
    ),
]


# --- loaders ---------------------------------------------------------------------------------------


@demo_loader("org.units", order=10)
def load_units(ctx: DemoContext) -> None:
    result = administrative_units_load(ward_provinces=[PROVINCE_DVC_CODE])
    ctx.log(f"  đơn vị hành chính: {result.created} mới, {result.updated} cập nhật")


@demo_loader("org.calendar", order=20)
def load_calendar(ctx: DemoContext) -> None:
    calendar = WorkCalendar.objects.filter(code=CALENDAR_CODE).first()
    if calendar is None:
        calendar = work_calendar_create(code=CALENDAR_CODE, name=CALENDAR_NAME)
    written = workdays_seed(calendar=calendar, years=CALENDAR_YEARS)
    ctx.objects["calendar"] = calendar
    ctx.log(f"  lịch {CALENDAR_CODE}: {written} ngày được ghi ({CALENDAR_YEARS[0]}–{CALENDAR_YEARS[-1]})")


@demo_loader("org.agencies", order=30)
def load_agencies(ctx: DemoContext) -> None:
    calendar = ctx.objects.get("calendar") or WorkCalendar.objects.get(code=CALENDAR_CODE)
    units = {u.code: u for u in AdministrativeUnit.objects.filter(valid_to__isnull=True, code__in={a.unit for a in AGENCIES})}
    agencies: dict[str, Agency] = {}
    changed = 0
    for spec in AGENCIES:
        agency, agency_changed = agency_ensure(
            actor=None,
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            level=spec.level,
            kind=spec.kind,
            parent=agencies[spec.parent] if spec.parent else None,
            administrative_unit=units[spec.unit],
            address=spec.address,
            # Only the province's own body names the calendar; every other agency inherits it.
            work_calendar=calendar if spec.parent is None else None,
            identifier=spec.identifier or agency_identifier_from_code(spec.code) or "",
        )
        agencies[spec.code] = agency
        changed += agency_changed
        for code, name in spec.departments:
            changed += department_ensure(actor=None, agency=agency, code=code, name=name)[1]
    ctx.objects["agencies"] = agencies
    ctx.log(f"  cơ quan: {len(agencies)} ({changed} thay đổi)")
