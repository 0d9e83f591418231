"""Enumerations of the working calendar, kept apart from the models so the pure calculator can use them.

``TimeUnit`` is also what other apps (catalogue, process steps, petitions) store next to a deadline
amount: the units of vn-standards §4.4 (giờ / ngày / ngày làm việc / tháng).
"""

from __future__ import annotations

from django.db import models


class DayKind(models.TextChoices):
    # A statutory holiday (Bộ luật Lao động 2019 Điều 112, vn-standards §11.1), including the
    # compensating day when it falls on a weekend.
    HOLIDAY = "holiday", "Ngày lễ, Tết"
    # Any other day off: a swapped day (hoán đổi), a bridging day, a province announcement.
    DAY_OFF = "day_off", "Ngày nghỉ (hoán đổi, theo thông báo)"
    # A normally free day (Saturday, Sunday) made a working day: the make-up day of a swap.
    WORKING_DAY = "working_day", "Ngày làm việc bù"


class DaySource(models.TextChoices):
    # Written by ``workdays_seed`` from the ``holidays`` package; a later seed may change or remove it.
    SEEDED = "seeded", "Nạp tự động (gói holidays)"
    # From a Government / Ministry announcement; never overwritten by seeding.
    GOVERNMENT = "government", "Thông báo của Chính phủ"
    # From the province's own announcement; never overwritten by seeding.
    PROVINCE = "province", "Thông báo của tỉnh"


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "ngày làm việc"
    WORKING_HOURS = "working_hours", "giờ làm việc"
    DAYS = "days", "ngày"
    HOURS = "hours", "giờ"
    MONTHS = "months", "tháng"
