"""The 24 indicators of the QĐ 766 sheet for a province and its communes (vn-standards §6.2), one class
each. Dossier counts read the roll-up facts (``DossierFact``: who received it, when, channel, verdict)
and join the dossier for what the fact does not hold (due date, supplements, files); petitions and
ratings come from those apps' selectors. Where Tỉnh Số holds nothing the formula counts, ``measure``
raises ``NoData`` with the reason, and the page shows "Chưa có dữ liệu".
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from tinhso.catalog.choices import OnlineLevel, VersionStatus
from tinhso.catalog.models import ProcedureVersion
from tinhso.dossiers.status import Channel, Status, Verdict
from tinhso.org.models import Agency
from tinhso.reports.models import DossierFact
from tinhso.reports.qd766.base import Indicator, NoData, Target, register

SHEET = "QĐ 766/QĐ-TTg; Công thức 766 (METRICS), vn-standards §6.2"
NOT_SYNCED = ("Tỉnh Số chưa đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia (issue #14 mục 5), nên chưa có số "
              "liệu này.")


# --- dossier populations ---------------------------------------------------------------------------


def facts(target: Target) -> QuerySet[DossierFact]:
    qs = DossierFact.objects.all()
    ids = target.counted_ids
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    return qs


def received_in(target: Target) -> QuerySet[DossierFact]:
    return facts(target).filter(received_on__range=(target.period.first, target.period.last))


class FactIndicator(Indicator):
    """Numerator and denominator counted over dossier facts: ``population`` and the ``passing`` test."""

    drills_to = "dossiers"

    def population(self, target: Target) -> QuerySet[DossierFact]:
        return received_in(target)

    def passing(self, target: Target):
        raise NotImplementedError

    def measure(self, target: Target) -> tuple[int, int]:
        row = self.population(target).aggregate(d=Count("pk"), n=Count("pk", filter=self.passing(target)))
        return row["n"], row["d"]

    def measure_by_agency(self, target: Target) -> dict[int, tuple[int, int]]:
        """agency id → (numerator, denominator), in one query."""
        rows = (self.population(target).order_by().values("agency_id")
                .annotate(d=Count("pk"), n=Count("pk", filter=self.passing(target))))
        return {r["agency_id"]: (r["n"], r["d"]) for r in rows}

    def losing(self, target: Target) -> QuerySet[DossierFact]:
        return self.population(target).exclude(self.passing(target))

    def reason(self, fact: DossierFact, target: Target) -> str:
        return ""


class DailyIndicator(FactIndicator):
    """Counted from the daily roll-up rows (``DailyStat``): numerator and denominator are two of its
    counters summed over the period's days; the drill-down reads the facts' flags (no join)."""

    numerator_field: str
    denominator_field: str

    def _daily(self, target: Target):
        from tinhso.reports.models import DailyStat

        qs = DailyStat.objects.filter(day__range=(target.period.first, target.period.last))
        ids = target.counted_ids
        return qs.filter(agency_id__in=ids) if ids is not None else qs

    def measure(self, target: Target) -> tuple[int, int]:
        # Every counter of the period in one query, shared by the six indicators of a target.
        if "daily" not in target.memo:
            from tinhso.reports.models import COUNTERS

            target.memo["daily"] = self._daily(target).aggregate(**{n: Sum(n) for n in COUNTERS})
        sums = target.memo["daily"]
        return sums[self.numerator_field] or 0, sums[self.denominator_field] or 0

    def measure_by_agency(self, target: Target) -> dict[int, tuple[int, int]]:
        rows = (self._daily(target).order_by().values("agency_id")
                .annotate(n=Sum(self.numerator_field), d=Sum(self.denominator_field)))
        return {r["agency_id"]: (r["n"] or 0, r["d"] or 0) for r in rows if r["d"]}


# --- 1. Công khai, minh bạch (18) -------------------------------------------------------------------


@register
class PublishOnTime(Indicator):
    number, formula, code, group = 1, "1.1", "PUBLISH_ON_TIME", "transparency"
    max_points = Decimal(6)
    name = "Tỷ lệ TTHC công bố đúng hạn"
    source = (f"{SHEET}: ngày quyết định công bố ≤ ngày hiệu lực của văn bản căn cứ − 5 ngày làm việc (cấp tỉnh); "
              "nguồn Cơ sở dữ liệu quốc gia về TTHC.")

    def measure(self, target):
        raise NoData("Danh mục của Tỉnh Số lưu quyết định công bố dưới dạng văn bản (số, ký hiệu), chưa lưu ngày "
                     "quyết định và ngày hiệu lực của căn cứ pháp lý dạng ngày; số liệu gốc ở CSDL quốc gia về TTHC.")


@register
class PublicUpdateOnTime(Indicator):
    number, formula, code, group = 2, "1.2", "PUBLIC_UPDATE_ON_TIME", "transparency"
    max_points = Decimal(4)
    name = "Tỷ lệ TTHC được cập nhật, công khai đúng hạn"
    source = f"{SHEET}: công khai trên CSDL quốc gia về TTHC ≤ 5 ngày làm việc sau quyết định công bố (cấp tỉnh)."

    def measure(self, target):
        raise NoData("Việc bấm “Công khai” diễn ra trên CSDL quốc gia về TTHC, ngoài Tỉnh Số.")


# The components of a procedure that NĐ 63/2010 Điều 8 khoản 2 requires (vn-standards §3.2).
COMPONENTS = (
    ("name", "tên thủ tục"), ("steps", "trình tự thực hiện"), ("channels", "cách thức thực hiện"),
    ("documents", "thành phần, số lượng hồ sơ"), ("time", "thời hạn giải quyết"),
    ("applicants", "đối tượng thực hiện"), ("agencies", "cơ quan thực hiện"),
)


def procedure_versions(target: Target) -> QuerySet[ProcedureVersion]:
    """The current published version of every procedure the counted agencies carry out (all for the
    province)."""
    qs = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, procedure__current_version=F("pk"))
    ids = target.counted_ids
    if ids is not None:
        qs = qs.filter(agency_links__agency_id__in=ids).distinct()
    return qs


def missing_components(version: ProcedureVersion, *, documents: bool, agencies: bool) -> list[str]:
    present = {
        "name": bool((version.name or "").strip()),
        "steps": bool((version.steps_text or "").strip()),
        "channels": bool(version.submission_channels),
        "documents": documents,
        "time": version.processing_time_value is not None or bool((version.processing_time_text or "").strip()),
        "applicants": bool(version.applicant_types),
        "agencies": agencies or bool(version.agencies_text),
    }
    return [label for key, label in COMPONENTS if not present[key]]


@register
class PublicContentFull(Indicator):
    number, formula, code, group = 3, "1.3", "PUBLIC_CONTENT_FULL", "transparency"
    max_points = Decimal(2)
    name = "Tỷ lệ TTHC công khai đầy đủ nội dung các bộ phận tạo thành"
    source = (f"{SHEET}; NĐ 63/2010/NĐ-CP Điều 8 khoản 2: tên, trình tự, cách thức, thành phần hồ sơ, thời hạn, "
              "đối tượng, cơ quan thực hiện. Tính trên danh mục hiện hành (không theo kỳ).")
    drills_to = "procedures"

    def rows(self, target: Target) -> list[tuple[ProcedureVersion, list[str]]]:
        versions = procedure_versions(target).select_related("procedure").annotate(
            n_docs=Count("documents", distinct=True), n_agencies=Count("agency_links", distinct=True))
        return [(v, missing_components(v, documents=v.n_docs > 0, agencies=v.n_agencies > 0))
                for v in versions.order_by("procedure__code")]

    def measure(self, target):
        rows = self.rows(target)
        return sum(1 for _, missing in rows if not missing), len(rows)

    def losing(self, target):
        return [(v, "Thiếu: " + ", ".join(missing)) for v, missing in self.rows(target) if missing]


@register
class DossierSync(Indicator):
    number, formula, code, group = 4, "1.4", "DOSSIER_SYNC", "transparency"
    max_points = Decimal(6)
    name = "Tỷ lệ hồ sơ đồng bộ trạng thái theo thời gian thực với Cổng DVCQG"
    source = f"{SHEET}: hồ sơ đã đồng bộ có ngày tiếp nhận trong kỳ / tổng hồ sơ tiếp nhận (vn-standards §3.3)."

    def measure(self, target):
        raise NoData(NOT_SYNCED)


# --- 2. Tiến độ, kết quả giải quyết (20) ------------------------------------------------------------


@register
class OnTime(FactIndicator):
    """(finished on or before the due date + running and within it at the period's end) / dossiers
    received or processed in the period. More than one supplement request makes a dossier late; one
    that waits for the applicant's supplement counts from the request (vn-standards §4.4)."""

    number, formula, code, group = 5, "2.1", "DOSSIER_ON_TIME", "dvc-progress-tree"
    max_points = Decimal(20)
    name = "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"
    source = (f"{SHEET} 2.1: NgayKetThucXuLy ≤ NgayHenTra; hồ sơ chưa xong tính đến cuối kỳ; yêu cầu bổ sung "
              "hơn 01 lần tính quá hạn (vn-standards §4.4).")

    def population(self, target):
        start, end = target.period.bounds()
        # A fact resolved before the period is out without a join (the day is local, so the exact
        # instant is still compared on the dossier below).
        return facts(target).filter(received_on__lte=target.period.last).filter(
            Q(resolved_on__isnull=True) | Q(resolved_on__gte=target.period.first)).filter(
            Q(dossier__resolved_at__gte=start)
            | Q(dossier__resolved_at__isnull=True, dossier__closed_at__gte=start)
            | Q(dossier__resolved_at__isnull=True, dossier__closed_at__isnull=True))

    def passing(self, target):
        start, end = target.period.bounds()
        resolved = Q(dossier__resolved_at__lt=end)
        closed = Q(dossier__resolved_at__isnull=True, dossier__closed_at__lt=end)
        running = ~resolved & ~closed
        no_due = Q(dossier__due_at__isnull=True)
        return ~Q(dossier__supplement_count__gt=1) & (
            (resolved & Q(dossier__verdict__in=[Verdict.EARLY, Verdict.ON_TIME]))
            | (closed & (no_due | Q(dossier__closed_at__lte=F("dossier__due_at"))))
            | (running & (no_due | Q(dossier__due_at__gte=end)))
            | (running & Q(dossier__status=Status.SUPPLEMENT_REQUESTED, dossier__paused_since__isnull=False,
                           dossier__paused_since__lt=end, dossier__paused_since__lte=F("dossier__due_at")))
        )

    def reason(self, fact, target):
        d = fact.dossier
        start, end = target.period.bounds()
        if d.supplement_count > 1:
            return f"Yêu cầu bổ sung {d.supplement_count} lần (hơn 01 lần tính quá hạn)"
        if d.resolved_at is not None and d.resolved_at < end:
            return "Giải quyết xong sau ngày hẹn trả"
        if d.closed_at is not None and d.closed_at < end:
            return "Dừng xử lý, rút hồ sơ sau ngày hẹn trả"
        return "Đến cuối kỳ vẫn đang giải quyết và đã quá ngày hẹn trả"


# --- 3. Cung cấp dịch vụ công trực tuyến (12) -------------------------------------------------------


@register
class OnlineFull(DailyIndicator):
    number, formula, code, group = 6, "", "DOSSIER_ONLINE_FULL", "provide-online-tree"
    max_points = Decimal(12)
    name = "Tỷ lệ hồ sơ DVCTT toàn trình trên hồ sơ của TTHC đủ điều kiện toàn trình"
    source = (f"{SHEET}: hồ sơ nộp trực tuyến toàn trình / hồ sơ của TTHC đủ điều kiện toàn trình; chỉ cấp tỉnh. "
              "TTHC đủ điều kiện = TTHC có phiên bản cung cấp DVCTT toàn trình trong danh mục (NĐ 42/2022 Điều 11).")
    commune_applies = False
    numerator_field, denominator_field = "full_online", "full_eligible"

    def population(self, target):
        return received_in(target).filter(full_eligible=True)

    def passing(self, target):
        return Q(channel=Channel.ONLINE)

    def reason(self, fact, target):
        return f"TTHC có DVCTT toàn trình nhưng hồ sơ nộp {Channel(fact.channel).label.lower()}"


@register
class FormalitiesOnline(Indicator):
    number, formula, code, group = 7, "3.1", "FORMALITY_ONLINE_FULL", "provide-online-tree"
    name = "Tỷ lệ TTHC cung cấp DVCTT toàn trình"
    source = (f"{SHEET} 3.1: TTHC có DVCTT toàn trình công khai / TTHC đủ điều kiện; không có điểm riêng. "
              "Mẫu số ở đây là mọi TTHC trong phạm vi (cờ “đủ điều kiện” nằm ở CSDL quốc gia).")
    full_at = Decimal(80)

    def measure(self, target):
        row = procedure_versions(target).aggregate(
            d=Count("pk", distinct=True), n=Count("pk", filter=Q(online_level=OnlineLevel.FULL), distinct=True))
        return row["n"], row["d"]


@register
class ProactiveFormalities(Indicator):
    number, formula, code, group = 8, "", "FORMALITY_PROACTIVE", "provide-online-tree"
    name = "Tỷ lệ TTHC cung cấp DVCTT chủ động theo mức độ"
    source = f"{SHEET}: chưa xác định công thức và điểm; chỉ cấp tỉnh."
    commune_applies = False

    def measure(self, target):
        raise NoData("Bảng công thức quốc gia chưa xác định chỉ số này.")


@register
class ProactiveDossiers(Indicator):
    number, formula, code, group = 9, "", "DOSSIER_PROACTIVE", "provide-online-tree"
    name = "Tỷ lệ hồ sơ dịch vụ công chủ động"
    source = f"{SHEET}: chưa xác định công thức và điểm; chỉ cấp tỉnh."
    commune_applies = False

    def measure(self, target):
        raise NoData("Bảng công thức quốc gia chưa xác định chỉ số này.")


@register
class OnlineShare(DailyIndicator):
    number, formula, code, group = 10, "3.3", "DOSSIER_ONLINE_SHARE", "provide-online-tree"
    name = "Tỷ lệ hồ sơ nộp trực tuyến (theo hình thức nộp)"
    source = (f"{SHEET} 3.3: hồ sơ tiếp nhận trực tuyến (KenhThucHien = 2) / hồ sơ tiếp nhận trong kỳ; không có "
              "điểm riêng. Chưa nhân tỷ lệ đồng bộ vì Tỉnh Số chưa đồng bộ với Cổng DVCQG.")
    full_at = Decimal(50)
    numerator_field, denominator_field = "online", "received"

    def passing(self, target):
        return Q(channel=Channel.ONLINE)

    def reason(self, fact, target):
        return f"Nộp {Channel(fact.channel).label.lower()}"


# --- 4. Số hóa hồ sơ (22) ---------------------------------------------------------------------------


@register
class ElectronicResult(DailyIndicator):
    number, formula, code, group = 11, "4.1", "ORIGINAL_RESULT_AVAILABLE", "dossier-digitized"
    max_points = Decimal(6)
    name = "Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử"
    source = (f"{SHEET} 4.1: hồ sơ có tệp kết quả điện tử / hồ sơ của TTHC trả kết quả bằng giấy tờ. Tỉnh Số coi "
              "mọi TTHC là có kết quả bằng giấy tờ (danh mục chưa có cờ này) và tính trên hồ sơ giải quyết xong "
              "trong kỳ.")

    numerator_field, denominator_field = "with_result", "resolved"

    def population(self, target):
        return facts(target).filter(resolved_on__range=(target.period.first, target.period.last))

    def passing(self, target):
        return Q(has_result=True)

    def reason(self, fact, target):
        return "Không có tệp kết quả giải quyết điện tử"


@register
class Digitised(DailyIndicator):
    number, formula, code, group = 12, "4.2", "SO_HOA_GIAY_TO_GIAI_QUYET", "dossier-digitized"
    max_points = Decimal(4)
    name = "Tỷ lệ hồ sơ thực hiện số hóa thành phần hồ sơ"
    source = (f"{SHEET} 4.2: (có tệp trong thành phần hồ sơ và có kết quả điện tử) / hồ sơ tiếp nhận trong kỳ; "
              "từ 80 % đạt điểm tối đa.")
    full_at = Decimal(80)
    numerator_field, denominator_field = "digitised", "received"

    def passing(self, target):
        return Q(has_files=True, has_result=True)

    def reason(self, fact, target):
        return "Chưa số hóa thành phần hồ sơ hoặc chưa có kết quả điện tử"


@register
class CertifiedCopy(Indicator):
    number, formula, code, group = 13, "", "ELECTRONIC_CERTIFIED_COPY", "dossier-digitized"
    max_points = Decimal(2)
    name = "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính"
    source = f"{SHEET}: số xã cung cấp chứng thực bản sao điện tử / số xã."

    def measure(self, target):
        raise NoData("Tỉnh Số chưa ghi nhận xã nào cung cấp dịch vụ chứng thực bản sao điện tử.")


@register
class ReusedData(DailyIndicator):
    number, formula, code, group = 14, "4.3", "REUSED_DIGITIZED_DATA", "dossier-digitized"
    max_points = Decimal(2)
    name = "Tỷ lệ hồ sơ khai thác, sử dụng lại thông tin, dữ liệu số hóa"
    source = (f"{SHEET} 4.3: hồ sơ có ít nhất 1 thành phần tái sử dụng dữ liệu / hồ sơ tiếp nhận; từ 80 % đạt điểm "
              "tối đa. Tỉnh Số tính thành phần được thay bằng biểu mẫu điện tử đã khai (“eform”) — cách hiểu chưa "
              "được xác nhận.")
    full_at = Decimal(80)
    numerator_field, denominator_field = "reused", "received"

    def passing(self, target):
        return Q(reused=True)

    def reason(self, fact, target):
        return "Không có thành phần hồ sơ tái sử dụng dữ liệu (biểu mẫu điện tử)"


@register
class PersonalStorage(Indicator):
    number, formula, code, group = 15, "4.4", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "dossier-digitized"
    max_points = Decimal(4)
    name = "Tỷ lệ hồ sơ số hóa có kết nối, chia sẻ dữ liệu phục vụ tái sử dụng"
    source = f"{SHEET} 4.4: thành phần lấy từ kho dữ liệu cá nhân trên Cổng DVCQG (DuocLayTuKhoDMQG = 1)."

    def measure(self, target):
        raise NoData("Tỉnh Số chưa kết nối kho dữ liệu cá nhân trên Cổng DVCQG. " + NOT_SYNCED)


@register
class CitizenDataDossiers(DailyIndicator):
    number, formula, code, group = 16, "4.5b", "CITIZEN_DATA_CONNECTED_DOSSIER", "dossier-digitized"
    max_points = Decimal(2)
    name = "Tỷ lệ hồ sơ TTHC có sử dụng thông tin, dữ liệu dân cư"
    source = (f"{SHEET} 4.5b: hồ sơ có TaiKhoanDuocXacThucVoiVNeID = 1 / hồ sơ tiếp nhận; chỉ cấp tỉnh. "
              "Tỉnh Số tính hồ sơ nộp từ tài khoản đăng nhập bằng VNeID.")
    commune_applies = False
    numerator_field, denominator_field = "vneid", "received"

    def passing(self, target):
        return Q(vneid=True)

    def reason(self, fact, target):
        return "Không nộp bằng tài khoản xác thực VNeID"


CITIZEN_APPLICANTS = ("công dân", "người việt nam định cư ở nước ngoài", "người nước ngoài")


@register
class CitizenDataFormalities(Indicator):
    number, formula, code, group = 17, "4.5a", "CITIZEN_DATA_CONNECTED_FORMALITY", "dossier-digitized"
    max_points = Decimal(2)
    name = "Tỷ lệ TTHC triển khai kết nối, chia sẻ dữ liệu dân cư"
    source = (f"{SHEET} 4.5a: TTHC có hồ sơ dùng dữ liệu dân cư (VNeID) / TTHC có đối tượng thực hiện là người "
              "dân; chỉ cấp tỉnh.")
    commune_applies = False
    drills_to = "procedures"

    def rows(self, target: Target):
        versions = [v for v in procedure_versions(target).select_related("procedure").order_by("procedure__code")
                    if any(any(word in str(t).lower() for word in CITIZEN_APPLICANTS) for t in v.applicant_types)]
        from tinhso.reports.models import DailyStat

        daily = DailyStat.objects.filter(day__range=(target.period.first, target.period.last), vneid__gt=0)
        if target.counted_ids is not None:
            daily = daily.filter(agency_id__in=target.counted_ids)
        connected = set(daily.order_by().values_list("procedure_id", flat=True).distinct())
        return [(v, v.procedure_id in connected) for v in versions]

    def measure(self, target):
        rows = self.rows(target)
        return sum(1 for _, ok in rows if ok), len(rows)

    def losing(self, target):
        return [(v, "Không có hồ sơ dùng dữ liệu dân cư (VNeID) trong kỳ") for v, ok in self.rows(target) if not ok]


# --- 5. Mức độ hài lòng (18) ------------------------------------------------------------------------


@register
class SimplificationSatisfaction(Indicator):
    number, formula, code, group = 18, "", "SIMPLIFICATION_SATISFACTION", "handling-satisfaction"
    name = "Mức độ hài lòng về kết quả cắt giảm, phân cấp, đơn giản hóa TTHC"
    source = f"{SHEET}: chưa xác định công thức và điểm."

    def measure(self, target):
        raise NoData("Bảng công thức quốc gia chưa xác định chỉ số này.")


def _petitions(target: Target) -> dict:
    """The petition figures of the counted agencies, summed (petitions.selectors.petition_indicators);
    computed once for the four indicators that read them."""
    if "petitions" not in target.memo:
        target.memo["petitions"] = _petitions_count(target)
    return target.memo["petitions"]


def _petitions_count(target: Target) -> dict:
    from tinhso.petitions.selectors import petition_indicators

    start, end = target.period.bounds()
    ids = target.counted_ids
    if ids is None:
        return petition_indicators(actor=target.actor, start=start, end=end)
    total: dict = {}
    for agency in Agency.objects.filter(pk__in=ids):
        one = petition_indicators(actor=target.actor, agency=agency, start=start, end=end)
        for key, value in one.items():
            if isinstance(value, dict):
                row = total.setdefault(key, {"numerator": 0, "denominator": 0})
                row["numerator"] += value["numerator"]
                row["denominator"] += value["denominator"]
            else:
                total[key] = total.get(key, 0) + value
    return total


class PetitionIndicator(Indicator):
    key: str

    def measure(self, target):
        figures = _petitions(target)
        row = figures.get(self.key) or {"numerator": 0, "denominator": 0}
        return row["numerator"], row["denominator"]


@register
class PetitionsRegulation(PetitionIndicator):
    number, formula, code, group, key = 19, "5.1", "PETITION_CLASSIFICATION_TTHC", "handling-satisfaction", "indicator_19"
    name = "Tỷ lệ phản ánh, kiến nghị về quy định, TTHC"
    source = f"{SHEET} 5.1: chỉ theo dõi, 0 điểm."


@register
class PetitionsConduct(PetitionIndicator):
    number, formula, code, group, key = 20, "5.1", "PETITION_CLASSIFICATION_STAFF", "handling-satisfaction", "indicator_20"
    name = "Tỷ lệ phản ánh, kiến nghị về hành vi của cán bộ, công chức, viên chức"
    source = f"{SHEET} 5.1: chỉ theo dõi, 0 điểm."


@register
class PetitionsOnTime(PetitionIndicator):
    number, formula, code, group, key = 21, "5.2", "PETITION_PROCESSING_ON_TIME", "handling-satisfaction", "indicator_21"
    max_points = Decimal(6)
    name = "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn"
    source = (f"{SHEET} 5.2: (xử lý đúng hạn + đang xử lý trong hạn) / PAKN thuộc thẩm quyền; thời hạn 2/5/15/2 "
              "ngày làm việc (quy chế Cổng DVCQG).")


@register
class PetitionsSatisfaction(PetitionIndicator):
    number, formula, code, group, key = 22, "5.3", "PETITION_HANDLING_SATISFACTION", "handling-satisfaction", "indicator_22"
    max_points = Decimal(6)
    name = "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị"
    source = f"{SHEET} 5.3: (PAKN − không hài lòng − bị phản ánh lại − quá hạn) / PAKN đã xử lý."


@register
class DossierSatisfaction(Indicator):
    number, formula, code, group = 23, "5.4", "DOSSIER_RECEIVING_SATISFACTION", "handling-satisfaction"
    max_points = Decimal(6)
    name = "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC"
    source = (f"{SHEET} 5.4: 100 % − (% hồ sơ quá hạn + % hồ sơ có PAKN hoặc đánh giá không hài lòng); từ 90 % "
              "đạt điểm tối đa. Trên hồ sơ đã trả kết quả trong kỳ (ratings.selectors.indicator_23).")
    full_at = Decimal(90)
    drills_to = "dossiers"

    def figures(self, target: Target) -> tuple[int, int, int]:
        from tinhso.ratings.selectors import indicator_23

        first, last = target.period.first, target.period.last
        ids = target.counted_ids
        agencies = [None] if ids is None else list(Agency.objects.filter(pk__in=ids))
        dossiers = late = complained = 0
        for agency in agencies:
            one = indicator_23(actor=target.actor, agency=agency, start=first, end=last)
            dossiers, late, complained = dossiers + one.dossiers, late + one.late, complained + one.complained
        return dossiers, late, complained

    def measure(self, target):
        dossiers, late, complained = self.figures(target)
        return max(0, dossiers - late - complained), dossiers

    def losing(self, target):
        # The late ones; a rating or petition against a dossier is shown on its page.
        start, end = target.period.bounds()
        return facts(target).filter(status=Status.RETURNED, dossier__returned_at__gte=start,
                                    dossier__returned_at__lt=end, verdict=Verdict.LATE)

    def reason(self, fact, target):
        return "Giải quyết quá hạn"


# --- 6. Thanh toán trực tuyến (10) ------------------------------------------------------------------


@register
class OnlinePayment(Indicator):
    number, formula, code, group = 24, "3.6", "DOSSIER_ONLINE_PAYMENT", "formality-online-payment-tree"
    max_points = Decimal(10)
    name = "Tỷ lệ hồ sơ thanh toán trực tuyến"
    source = (f"{SHEET} 3.5–3.6: hồ sơ có DuocThanhToanTrucTuyen ∈ {{1, 2}} / hồ sơ của TTHC có phí, lệ phí. "
              "Bảng vn-standards tính 10 điểm cho một chỉ số; metrics-766.json chia 2 + 2 + 6 (3.5, 3.5b, 3.6) — "
              "chưa thống nhất.")

    def measure(self, target):
        raise NoData("Tỉnh Số chưa có cổng thanh toán trực tuyến (ứng dụng payments), nên chưa có hồ sơ nào được "
                     "đánh dấu thanh toán trực tuyến.")
