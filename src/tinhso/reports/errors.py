"""Stable error codes of the statistics (a public contract: never rename a value)."""

from __future__ import annotations

from enum import StrEnum


class ReportError(StrEnum):
    FORBIDDEN = "report_forbidden"
    AGENCY_OUTSIDE_SCOPE = "report_agency_outside_scope"
    INVALID_PERIOD = "invalid_period"  # the same code as the other reports of a period (documents)
    UNKNOWN_AGENCY = "agency_not_found"
    UNKNOWN_INDICATOR = "report_indicator_unknown"
    UNKNOWN_MEASURE = "report_measure_unknown"
