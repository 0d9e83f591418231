"""Roll-up tables of the statistics (docs/reports.md).

``DossierFact`` is what one dossier contributes to the statistics, as of its last event;
``DailyStat`` sums the facts by day × receiving agency × procedure × channel. The outbox handler
(``reports.handlers``) refreshes a dossier's fact and adds the difference to the daily rows in the
same transaction, so delivering an event twice changes nothing; ``tinhso reports rebuild`` recomputes
both from the dossiers and must give the same rows.
"""

from __future__ import annotations

from django.db import models


class DossierFact(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", verbose_name="hồ sơ", on_delete=models.CASCADE,
                                   related_name="report_fact")
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan tiếp nhận", null=True, on_delete=models.CASCADE,
                               related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name="thủ tục", on_delete=models.CASCADE,
                                  related_name="+")
    channel = models.CharField("kênh nộp", max_length=8)
    status = models.CharField("trạng thái", max_length=24)
    received_on = models.DateField("ngày tiếp nhận", null=True)
    resolved_on = models.DateField("ngày giải quyết xong", null=True)
    verdict = models.CharField("kết quả về thời hạn", max_length=8, blank=True)
    processing_minutes = models.PositiveBigIntegerField("số phút từ tiếp nhận đến giải quyết xong", default=0)
    overdue_on = models.DateField("quá hạn từ ngày (đang giải quyết)", null=True)
    # What the QĐ 766 indicators 6, 11, 12, 14, 16 count (docs/reports.md "QĐ 766"), as of the last event.
    full_eligible = models.BooleanField("TTHC cung cấp DVCTT toàn trình", default=False)
    has_files = models.BooleanField("có tệp trong thành phần hồ sơ", default=False)
    has_result = models.BooleanField("có kết quả điện tử", default=False)
    reused = models.BooleanField("tái sử dụng dữ liệu (biểu mẫu điện tử)", default=False)
    vneid = models.BooleanField("nộp bằng tài khoản VNeID", default=False)

    class Meta:
        verbose_name = "đóng góp thống kê của hồ sơ"
        verbose_name_plural = "đóng góp thống kê của hồ sơ"
        indexes = [
            models.Index(fields=["received_on"], name="report_fact_received"),
            models.Index(fields=["resolved_on"], name="report_fact_resolved"),
            models.Index(fields=["overdue_on"], name="report_fact_overdue"),
        ]

    def __str__(self) -> str:
        return f"Hồ sơ #{self.dossier_id}"


COUNTERS = ("received", "online", "resolved", "early", "on_time", "late", "overdue", "processing_minutes",
            "full_eligible", "full_online", "digitised", "reused", "vneid", "with_result")


class DailyStat(models.Model):
    """One day × agency × procedure × channel. ``received``/``online`` (and the 766 counters
    ``full_eligible``, ``full_online``, ``digitised``, ``reused``, ``vneid``) count by the day of receipt,
    ``resolved``/``early``/``on_time``/``late``/``processing_minutes``/``with_result`` by the day of
    resolution, ``overdue`` the dossiers still in progress past their due date, by the due day."""

    day = models.DateField("ngày")
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan tiếp nhận", on_delete=models.CASCADE,
                               related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name="thủ tục", on_delete=models.CASCADE,
                                  related_name="+")
    channel = models.CharField("kênh nộp", max_length=8)
    received = models.IntegerField("tiếp nhận", default=0)
    online = models.IntegerField("tiếp nhận trực tuyến", default=0)
    resolved = models.IntegerField("giải quyết xong", default=0)
    early = models.IntegerField("trước hạn", default=0)
    on_time = models.IntegerField("đúng hạn", default=0)
    late = models.IntegerField("quá hạn", default=0)
    overdue = models.IntegerField("đang quá hạn", default=0)
    processing_minutes = models.BigIntegerField("tổng số phút giải quyết", default=0)
    # QĐ 766 counters: by the day of receipt, except ``with_result`` (by the day of resolution).
    full_eligible = models.IntegerField("tiếp nhận, TTHC có DVCTT toàn trình", default=0)
    full_online = models.IntegerField("trong đó nộp trực tuyến", default=0)
    digitised = models.IntegerField("có thành phần số hóa và kết quả điện tử", default=0)
    reused = models.IntegerField("tái sử dụng dữ liệu", default=0)
    vneid = models.IntegerField("nộp bằng tài khoản VNeID", default=0)
    with_result = models.IntegerField("giải quyết xong, có kết quả điện tử", default=0)

    class Meta:
        verbose_name = "thống kê theo ngày"
        verbose_name_plural = "thống kê theo ngày"
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "procedure", "channel"], name="report_daily_key"),
        ]
        indexes = [models.Index(fields=["agency", "day"], name="report_daily_agency")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · cơ quan #{self.agency_id} · thủ tục #{self.procedure_id} · {self.channel}"
