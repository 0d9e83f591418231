"""Checks on a process definition before its version is published (format: docs/catalog.md).

The same checks run on a definition read from the database (admin edits) and on one read from an
import file, so both go through ``ProcessSpec``. Errors block publishing; warnings are shown to
the administrator and returned by the publish service.

Decision: a main path whose step durations add up to more than the procedure's processing time
is an **error**, because every dossier would be late by design. When the units cannot be compared
(calendar days against working days, or months) it is a warning.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from tinhso.catalog.choices import Role, StepAction, StepScope, TimeUnit
from tinhso.core.errors import ValidationFailed

STEP_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,49}")
# Actions that move a dossier forward; the main path follows the first of them from each step.
PROGRESS_ACTIONS = (
    StepAction.FORWARD, StepAction.ASSIGN, StepAction.APPROVE, StepAction.SIGN,
    StepAction.ISSUE_RESULT, StepAction.RETURN_RESULT,
)
# Actions allowed to end the process (``to`` empty).
ENDING_ACTIONS = (StepAction.ISSUE_RESULT, StepAction.RETURN_RESULT, StepAction.DENY)
# Office hours per working day, to compare working days with working hours (8 h: 7:30–11:30,
# 13:00–17:00 in most provinces). Used only for this check; deadlines use the calendar service.
WORKING_HOURS_PER_DAY = Decimal(8)
_WORKING = {TimeUnit.WORKING_DAYS: WORKING_HOURS_PER_DAY, TimeUnit.WORKING_HOURS: Decimal(1)}
_CALENDAR = {TimeUnit.DAYS: Decimal(24), TimeUnit.HOURS: Decimal(1)}


@dataclass
class StepSpec:
    code: str
    name: str
    order: int
    role: str
    agency_scope: str
    agency_code: str = ""
    department_code: str = ""
    duration_value: Decimal = Decimal(0)
    duration_unit: str = TimeUnit.WORKING_DAYS
    description: str = ""


@dataclass
class TransitionSpec:
    from_code: str
    action: str
    to_code: str | None
    label: str = ""


@dataclass
class ProcessSpec:
    steps: list[StepSpec] = field(default_factory=list)
    transitions: list[TransitionSpec] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict:
        """The import/export form (docs/catalog.md)."""
        return {
            "steps": [
                {
                    "code": s.code, "name": s.name, "order": s.order, "role": s.role,
                    "agency_scope": s.agency_scope, "agency": s.agency_code or None,
                    "department_code": s.department_code or None,
                    "duration": {"value": _number(s.duration_value), "unit": s.duration_unit},
                    **({"description": s.description} if s.description else {}),
                }
                for s in sorted(self.steps, key=lambda s: s.order)
            ],
            "transitions": [
                {"from": t.from_code, "action": t.action, "to": t.to_code, **({"label": t.label} if t.label else {})}
                for t in self.transitions
            ],
            **({"note": self.note} if self.note else {}),
        }


def _number(value: Decimal):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _decimal(value, *, where: str, errors: list) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.append({"field": where, "message": f"“{value}” không phải là một số."})
        return Decimal(0)
    if not number.is_finite() or number < 0:
        errors.append({"field": where, "message": "Thời gian phải là số không âm."})
        return Decimal(0)
    return number


def process_spec_from_json(data) -> ProcessSpec:
    """Parse the JSON form; shape errors raise ``ValidationFailed`` (code ``invalid_process``)."""
    errors: list[dict] = []
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ValidationFailed(
            "Quy trình phải là một đối tượng JSON có danh sách “steps”.",
            code="invalid_process",
            errors=[{"field": "process", "message": "Thiếu danh sách bước (steps)."}],
        )
    spec = ProcessSpec(note=str(data.get("note") or ""))
    for index, raw in enumerate(data["steps"], start=1):
        where = f"process.steps[{index}]"
        if not isinstance(raw, dict):
            errors.append({"field": where, "message": "Mỗi bước phải là một đối tượng JSON."})
            continue
        duration = raw.get("duration") or {}
        if not isinstance(duration, dict):
            errors.append({"field": f"{where}.duration", "message": "Thời gian phải có dạng {value, unit}."})
            duration = {}
        spec.steps.append(
            StepSpec(
                code=str(raw.get("code") or ""),
                name=str(raw.get("name") or ""),
                order=int(raw["order"]) if str(raw.get("order", "")).isdigit() else index,
                role=str(raw.get("role") or ""),
                agency_scope=str(raw.get("agency_scope") or StepScope.RECEIVING),
                agency_code=str(raw.get("agency") or ""),
                department_code=str(raw.get("department_code") or ""),
                duration_value=_decimal(duration.get("value", 0), where=f"{where}.duration.value", errors=errors),
                duration_unit=str(duration.get("unit") or TimeUnit.WORKING_DAYS),
                description=str(raw.get("description") or ""),
            )
        )
    for index, raw in enumerate(data.get("transitions") or [], start=1):
        if not isinstance(raw, dict):
            errors.append({"field": f"process.transitions[{index}]", "message": "Mỗi chuyển bước phải là một đối tượng JSON."})
            continue
        spec.transitions.append(
            TransitionSpec(
                from_code=str(raw.get("from") or ""),
                action=str(raw.get("action") or ""),
                to_code=str(raw["to"]) if raw.get("to") else None,
                label=str(raw.get("label") or ""),
            )
        )
    if errors:
        raise ValidationFailed("Quy trình không đúng định dạng.", code="invalid_process", errors=errors)
    return spec


def process_spec_from_definition(definition) -> ProcessSpec:
    """The spec of a stored ``ProcessDefinition`` (two queries)."""
    steps = list(definition.steps.select_related("agency").order_by("order", "id"))
    by_id = {s.id: s.code for s in steps}
    return ProcessSpec(
        steps=[
            StepSpec(
                code=s.code, name=s.name, order=s.order, role=s.role, agency_scope=s.agency_scope,
                agency_code=s.agency.code if s.agency_id else "", department_code=s.department_code,
                duration_value=s.duration_value, duration_unit=s.duration_unit, description=s.description,
            )
            for s in steps
        ],
        transitions=[
            TransitionSpec(from_code=by_id.get(t.from_step_id, ""), action=t.action,
                           to_code=by_id.get(t.to_step_id) if t.to_step_id else None, label=t.label)
            for t in definition.transitions.order_by("id")
        ],
        note=definition.note,
    )


def _main_path(spec: ProcessSpec) -> list[StepSpec]:
    """From the first step, follow the progress transition to the nearest later step."""
    by_code = {s.code: s for s in spec.steps}
    path: list[StepSpec] = []
    current = min(spec.steps, key=lambda s: s.order) if spec.steps else None
    while current is not None:
        path.append(current)
        later = [
            by_code[t.to_code] for t in spec.transitions
            if t.from_code == current.code and t.action in PROGRESS_ACTIONS
            and t.to_code in by_code and by_code[t.to_code].order > current.order
        ]
        current = min(later, key=lambda s: s.order) if later else None
    return path


def _total(steps: list[StepSpec]) -> tuple[str, Decimal] | None:
    """Sum of durations in hours of one family ('working' or 'calendar'), or None if mixed."""
    units = {s.duration_unit for s in steps if s.duration_value}
    if not units:
        return ("working", Decimal(0))
    if units <= set(_WORKING):
        return ("working", sum((s.duration_value * _WORKING[s.duration_unit] for s in steps), Decimal(0)))
    if units <= set(_CALENDAR):
        return ("calendar", sum((s.duration_value * _CALENDAR[s.duration_unit] for s in steps), Decimal(0)))
    return None


def _limit(value, unit) -> tuple[str, Decimal] | None:
    if value is None or not unit:
        return None
    value = Decimal(value)
    if unit in _WORKING:
        return ("working", value * _WORKING[unit])
    if unit in _CALENDAR:
        return ("calendar", value * _CALENDAR[unit])
    return None


def process_check(
    spec: ProcessSpec,
    *,
    processing_time_value=None,
    processing_time_unit: str = "",
    agency_codes: set[str] | None = None,
) -> list[str]:
    """Validate ``spec``; return warnings, raise ``ValidationFailed`` (``invalid_process``) on errors.

    ``agency_codes``: the existing agency codes, to check ``fixed`` steps (None skips the check).
    """
    errors: list[dict] = []

    def error(where: str, message: str) -> None:
        errors.append({"field": where, "message": message})

    warnings: list[str] = []
    if not spec.steps:
        error("process.steps", "Quy trình phải có ít nhất một bước xử lý.")
        raise ValidationFailed("Quy trình nội bộ chưa hợp lệ.", code="invalid_process", errors=errors)

    codes: dict[str, StepSpec] = {}
    orders: set[int] = set()
    for step in spec.steps:
        where = f"process.steps.{step.code or step.order}"
        if not STEP_CODE.fullmatch(step.code):
            error(where, f"Mã bước “{step.code}” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang.")
        elif step.code in codes:
            error(where, f"Mã bước “{step.code}” bị trùng.")
        codes[step.code] = step
        if step.order in orders:
            error(where, f"Thứ tự {step.order} bị trùng giữa hai bước.")
        orders.add(step.order)
        if not step.name.strip():
            error(where, "Bước xử lý phải có tên.")
        if step.role not in Role.values:
            error(where, f"Vai trò “{step.role}” không hợp lệ; dùng một trong: {', '.join(Role.values)}.")
        if step.agency_scope not in StepScope.values:
            error(where, f"Phạm vi cơ quan “{step.agency_scope}” không hợp lệ; dùng một trong: "
                         f"{', '.join(StepScope.values)}.")
        elif step.agency_scope == StepScope.FIXED and not step.agency_code:
            error(where, "Bước liên thông tới một cơ quan xác định phải chỉ rõ cơ quan.")
        elif step.agency_scope != StepScope.FIXED and step.agency_code:
            error(where, "Chỉ bước liên thông tới một cơ quan xác định mới được chỉ rõ cơ quan.")
        if step.agency_code and agency_codes is not None and step.agency_code not in agency_codes:
            error(where, f"Không có cơ quan mã “{step.agency_code}”.")
        if step.duration_unit not in TimeUnit.values:
            error(where, f"Đơn vị thời gian “{step.duration_unit}” không hợp lệ; dùng một trong: "
                         f"{', '.join(TimeUnit.values)}.")
        if step.duration_value < 0:
            error(where, "Thời gian của bước không được âm.")

    seen_transitions: set[tuple] = set()
    outgoing: dict[str, list[TransitionSpec]] = {code: [] for code in codes}
    for t in spec.transitions:
        where = f"process.transitions.{t.from_code}.{t.action}"
        if t.from_code not in codes:
            error(where, f"Chuyển bước đi từ bước “{t.from_code}” không có trong quy trình.")
            continue
        if t.action not in StepAction.values:
            error(where, f"Thao tác “{t.action}” không hợp lệ; dùng một trong: {', '.join(StepAction.values)}.")
            continue
        if t.to_code is not None and t.to_code not in codes:
            error(where, f"Chuyển bước tới bước “{t.to_code}” không có trong quy trình.")
            continue
        if t.to_code is None and t.action not in ENDING_ACTIONS:
            error(where, "Chỉ các thao tác ban hành kết quả, trả kết quả hoặc từ chối mới được kết thúc quy trình.")
        key = (t.from_code, t.action, t.to_code)
        if key in seen_transitions:
            error(where, "Chuyển bước bị trùng.")
        seen_transitions.add(key)
        outgoing[t.from_code].append(t)

    if errors:
        raise ValidationFailed("Quy trình nội bộ chưa hợp lệ.", code="invalid_process", errors=errors)

    first = min(spec.steps, key=lambda s: s.order)
    reachable = {first.code}
    queue = deque([first.code])
    while queue:
        for t in outgoing[queue.popleft()]:
            if t.to_code and t.to_code not in reachable:
                reachable.add(t.to_code)
                queue.append(t.to_code)
    for step in spec.steps:
        if step.code not in reachable:
            error(f"process.steps.{step.code}", f"Không thể đi tới bước “{step.name}” từ bước đầu tiên.")
        if not outgoing[step.code]:
            error(f"process.steps.{step.code}", f"Bước “{step.name}” không có thao tác nào để đi tiếp hoặc kết thúc.")

    # Some issue_result must be reachable, and the process must be able to end after it.
    ends_from: set[str] = {t.from_code for ts in outgoing.values() for t in ts if t.to_code is None}
    can_end = set(ends_from)
    changed = True
    while changed:
        changed = False
        for code, ts in outgoing.items():
            if code not in can_end and any(t.to_code in can_end for t in ts if t.to_code):
                can_end.add(code)
                changed = True
    issues = [t for ts in outgoing.values() for t in ts
              if t.action == StepAction.ISSUE_RESULT and t.from_code in reachable
              and (t.to_code is None or t.to_code in can_end)]
    if not issues:
        error("process.transitions", "Quy trình phải có ít nhất một đường đi kết thúc bằng thao tác ban hành kết quả.")

    if errors:
        raise ValidationFailed("Quy trình nội bộ chưa hợp lệ.", code="invalid_process", errors=errors)

    path = _main_path(spec)
    total = _total(path)
    limit = _limit(processing_time_value, processing_time_unit)
    if limit is None:
        warnings.append("Chưa so sánh được tổng thời gian các bước với thời hạn giải quyết (thiếu thời hạn "
                        "hoặc đơn vị là tháng).")
    elif total is None or total[0] != limit[0]:
        warnings.append("Các bước dùng đơn vị thời gian khác loại với thời hạn giải quyết (ngày làm việc và "
                        "ngày lịch); hãy tự kiểm tra tổng thời gian.")
    elif total[1] > limit[1]:
        names = " → ".join(s.name for s in path)
        raise ValidationFailed(
            "Tổng thời gian các bước vượt quá thời hạn giải quyết của thủ tục.",
            code="invalid_process",
            errors=[{
                "field": "process.steps",
                "message": f"Đường xử lý chính ({names}) cần {_hours_text(total)}, vượt thời hạn "
                           f"{_hours_text(limit)}.",
            }],
        )
    return warnings


def _hours_text(total: tuple[str, Decimal]) -> str:
    family, hours = total
    days = hours / (WORKING_HOURS_PER_DAY if family == "working" else 24)
    text = str(_number(days.quantize(Decimal("0.01")).normalize())).replace(".", ",")  # Vietnamese decimal comma
    return f"{text} ngày làm việc" if family == "working" else f"{text} ngày"
