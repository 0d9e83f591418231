"""Public API of agencies and administrative units, and due dates counted on an agency's calendar."""


import datetime as dt
import re
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from tinhso.core.errors import ValidationFailed
from tinhso.org import selectors
from tinhso.org.models import AdministrativeUnit, Agency
from tinhso.workdays.services import due_at

router = Router(tags=["Cơ quan, đơn vị"])

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE_SIZE = 50


class UnitRef(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    administrative_unit: UnitRef | None
    parent: str | None = Field(None, description="Mã định danh của cơ quan cấp trên")

    @staticmethod
    def resolve_parent(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class AgencyDetailOut(AgencyOut):
    address: str
    phone: str
    email: str


class AgencyFilter(Schema):
    level: Literal["province", "commune", "central", "other"] | None = None
    parent: str | None = Field(None, description="Mã định danh của cơ quan cấp trên, ví dụ H44")
    q: str | None = Field(None, description="Tìm theo tên hoặc mã, có hoặc không dấu")


@router.get("/agencies", response=list[AgencyOut], auth=None, summary="Danh sách cơ quan, đơn vị")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def agencies(request, filters: Query[AgencyFilter]):
    return selectors.agency_list(level=filters.level, parent=filters.parent, q=filters.q)


@router.get("/agencies/{code}", response=AgencyDetailOut, auth=None, summary="Thông tin một cơ quan, đơn vị")
def agency_detail(request, code: str):
    return selectors.agency_get(code=code)


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    dvc_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    @staticmethod
    def resolve_parent(obj: AdministrativeUnit) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class UnitFilter(Schema):
    parent: str | None = Field(None, description="Mã đơn vị cấp trên, ví dụ 25 (tỉnh Phú Thọ)")
    kind: Literal["province", "city", "ward", "commune", "special_zone", "district", "township"] | None = None
    on: dt.date | None = Field(None, description="Đơn vị có hiệu lực vào ngày này (mặc định: hiện hành)")
    q: str | None = None


@router.get(
    "/administrative-units", response=list[UnitOut], auth=None, summary="Danh sách đơn vị hành chính"
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def administrative_units(request, filters: Query[UnitFilter]):
    return selectors.administrative_unit_list(parent=filters.parent, kind=filters.kind, on=filters.on, q=filters.q)


class DueDateQuery(Schema):
    agency: str = Field(..., description="Mã định danh cơ quan, ví dụ H44.02")
    start: str = Field(..., description="Thời điểm bắt đầu, ISO 8601, ví dụ 2026-02-13T09:00:00+07:00")
    amount: Decimal = Field(..., ge=0, description="Số đơn vị thời hạn")
    unit: str = Field("working_days", description="working_days, working_hours, days, hours hoặc months")


class DueDateOut(Schema):
    due_at: str = Field(..., description="ISO 8601, giờ Việt Nam (+07:00)")
    calendar: str = Field(..., description="Mã lịch làm việc đã dùng")


# "+07:00" arrives as " 07:00" when a client forgets to URL-encode "+" in the query string.
_SPACE_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def _parse_start(value: str) -> dt.datetime:
    text = _SPACE_OFFSET.sub(r"+\1", value.strip())
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed(
            "Thời điểm bắt đầu phải theo ISO 8601, ví dụ 2026-02-13T09:00:00+07:00.", code="invalid_start"
        ) from exc
    # A time without offset is a Vietnamese wall-clock time: this API serves one province.
    return moment.replace(tzinfo=VIETNAM) if timezone.is_naive(moment) else moment


@router.get(
    "/calendar/due-date",
    response=DueDateOut,
    auth=None,
    tags=["Lịch làm việc"],
    summary="Tính hạn theo lịch làm việc của cơ quan",
    description="Hạn = thời điểm `start` cộng `amount` đơn vị `unit` (working_days, working_hours, days, "
    "hours, months) theo lịch làm việc của cơ quan. Thời điểm không kèm múi giờ được hiểu là giờ Việt Nam.",
)
def calendar_due_date(request, params: Query[DueDateQuery]):
    calendar = selectors.agency_calendar(agency=selectors.agency_get(code=params.agency))
    result = due_at(calendar=calendar, start=_parse_start(params.start), amount=params.amount, unit=params.unit)
    return {"due_at": timezone.localtime(result, VIETNAM).isoformat(), "calendar": calendar.code}
