"""Validation of calendars as an administrator would save them."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from tinhso.workdays.tests.factories import WorkCalendarFactory

pytestmark = pytest.mark.django_db


def test_inherited_hours_are_validated_together():
    root = WorkCalendarFactory()  # afternoon starts at 13:30 by default
    child = WorkCalendarFactory.build(code="X1", name="Lịch con", parent=root, morning_end=time(14, 0))
    with pytest.raises(ValidationError) as exc:
        child.full_clean()
    assert "Giờ làm việc không hợp lệ" in str(exc.value)


def test_weekday_mask_needs_seven_flags_and_a_working_day():
    for mask in ("11111", "0000000", "abcdefg"):
        calendar = WorkCalendarFactory.build(code="X2", name="Lịch", weekdays=mask)
        with pytest.raises(ValidationError) as exc:
            calendar.full_clean()
        assert "weekdays" in exc.value.message_dict


def test_parent_cycle_is_refused():
    root = WorkCalendarFactory()
    child = WorkCalendarFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as exc:
        root.full_clean()
    assert "parent" in exc.value.message_dict
    root.parent = root
    with pytest.raises(ValidationError):
        root.full_clean()


def test_valid_agency_calendar_passes():
    root = WorkCalendarFactory()
    WorkCalendarFactory.build(
        code="X3", name="Lịch cơ quan", parent=root, morning_start=time(7), receipt_cutoff=time(15)
    ).full_clean()
