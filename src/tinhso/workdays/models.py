"""The working calendar: office hours, weekly days off, and the dated exceptions (holidays, swaps).

A province calendar is a root; an agency calendar names it as ``parent``, inherits its days and its
office hours, and may override the hours or add days of its own (DESIGN §5.3, docs/workdays.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from tinhso.core.errors import ValidationFailed
from tinhso.workdays.choices import DayKind, DaySource

# Deep chains are a configuration mistake (province → agency is the intended depth); the bound also
# stops a cycle from hanging the loader.
MAX_CHAIN_DEPTH = 8


class WorkCalendar(models.Model):
    code = models.CharField(
        "mã lịch", max_length=64, unique=True, help_text="Ví dụ H44 cho lịch chung của tỉnh, hoặc mã cơ quan."
    )
    name = models.CharField("tên lịch", max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name="lịch cha",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Để trống với lịch chung của tỉnh. Lịch của cơ quan thừa hưởng ngày nghỉ, ngày làm bù "
        "và giờ làm việc của lịch cha.",
    )
    # Office hours: empty means "as the parent"; a root calendar left empty uses 07:30–11:30 and
    # 13:30–17:00 (vn-standards §4.4: hours vary by province, e.g. 07:00–11:30 / 13:30–17:00).
    morning_start = models.TimeField(
        "buổi sáng bắt đầu", null=True, blank=True, help_text="Để trống: theo lịch cha (mặc định 07:30)."
    )
    morning_end = models.TimeField(
        "buổi sáng kết thúc", null=True, blank=True, help_text="Để trống: theo lịch cha (mặc định 11:30)."
    )
    afternoon_start = models.TimeField(
        "buổi chiều bắt đầu", null=True, blank=True, help_text="Để trống: theo lịch cha (mặc định 13:30)."
    )
    afternoon_end = models.TimeField(
        "buổi chiều kết thúc", null=True, blank=True, help_text="Để trống: theo lịch cha (mặc định 17:00)."
    )
    weekdays = models.CharField(
        "ngày làm việc trong tuần",
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^[01]{7}$", "Nhập đúng 7 ký tự 0 hoặc 1, từ thứ Hai đến Chủ nhật.")],
        help_text="7 ký tự 0/1 từ thứ Hai đến Chủ nhật, ví dụ 1111100 (thứ Hai–thứ Sáu). "
        "Để trống: theo lịch cha (mặc định 1111100).",
    )
    receipt_cutoff = models.TimeField(
        "giờ chốt tiếp nhận",
        null=True,
        blank=True,
        help_text="Hồ sơ tiếp nhận sau giờ này được tính từ ngày làm việc tiếp theo (ví dụ 15:00). "
        "Để trống: theo lịch cha; lịch gốc để trống thì không áp dụng.",
    )
    # Bumped on every change of the calendar or its days, so cached snapshots in other processes
    # notice that they are stale (see snapshot.py).
    revision = models.PositiveIntegerField("phiên bản", default=0, editable=False)

    class Meta:
        verbose_name = "lịch làm việc"
        verbose_name_plural = "lịch làm việc"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def chain(self) -> list[WorkCalendar]:
        """This calendar, then its parent, grand-parent… (nearest first)."""
        chain: list[WorkCalendar] = [self]
        current = self
        while current.parent_id is not None:
            if len(chain) >= MAX_CHAIN_DEPTH or current.parent_id in {c.pk for c in chain}:
                raise ValidationFailed(
                    "Lịch cha tạo thành vòng lặp hoặc chuỗi quá sâu.", code="invalid_calendar_parent"
                )
            current = WorkCalendar.objects.get(pk=current.parent_id)
            chain.append(current)
        return chain

    def clean(self) -> None:
        super().clean()
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "Lịch không thể là lịch cha của chính nó."})
        # Validate what the calendar will actually use, inherited values included.
        from tinhso.workdays.snapshot import effective_settings

        try:
            effective_settings(self.chain())
        except ValidationFailed as exc:
            field = (
                "parent"
                if exc.code == "invalid_calendar_parent"
                else ("weekdays" if exc.code == "invalid_working_weekdays" else None)
            )
            raise ValidationError({field: exc.detail} if field else exc.detail) from exc


class CalendarDay(models.Model):
    """A date that differs from the weekly rule: a holiday, an extra day off, or a make-up working day."""

    calendar = models.ForeignKey(
        WorkCalendar, verbose_name="lịch làm việc", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("ngày")
    kind = models.CharField("loại ngày", max_length=16, choices=DayKind.choices)
    name = models.CharField("tên", max_length=255, help_text="Ví dụ: Tết Nguyên Đán; Nghỉ bù Quốc khánh.")
    source = models.CharField(
        "nguồn",
        max_length=16,
        choices=DaySource.choices,
        default=DaySource.PROVINCE,
        help_text="Ngày có nguồn Chính phủ hoặc tỉnh không bao giờ bị ghi đè khi nạp lại từ gói holidays.",
    )
    note = models.TextField("ghi chú", blank=True, help_text="Ví dụ: số, ngày văn bản thông báo.")

    class Meta:
        verbose_name = "ngày đặc biệt"
        verbose_name_plural = "ngày đặc biệt"
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="workdays_day_unique_per_calendar"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
