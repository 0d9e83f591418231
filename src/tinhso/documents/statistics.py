"""Counts of an agency's documents for a period (issue #11 §5): outgoing by type and by drafting unit,
signed electronically or not; incoming by type and by handling result (on time, late, still open,
overdue). The rows come from the scoped selectors, so the figures never count a document the reader
may not see, and a leader's total equals the number of rows of the matching register.

"On time" compares when the handling finished with its deadline (``due_at``); a document without a
deadline is counted apart ("no deadline"), not as on time: a leader reading "95 % on time" must not be
told about documents nobody had to answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q

from tinhso.core.errors import PermissionDenied, ValidationFailed
from tinhso.documents.access import actor_load
from tinhso.documents.errors import DocumentError
from tinhso.documents.kinds import DocumentType
from tinhso.documents.models import IncomingDocument, OutgoingDocument
from tinhso.documents.selectors import incoming_list, outgoing_list

READERS = ("clerk", "leader", "unit_head", "monitor")
ISSUED = (OutgoingDocument.Status.ISSUED, OutgoingDocument.Status.RECALLED, OutgoingDocument.Status.REPLACED)


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class OutgoingCounts:
    total: int
    signed_electronically: int
    not_signed_electronically: int
    by_type: list[CountRow] = field(default_factory=list)
    by_unit: list[CountRow] = field(default_factory=list)


@dataclass(frozen=True)
class IncomingCounts:
    total: int
    received_electronically: int  # on the system or by edXML, not scanned from paper
    with_valid_signature: int
    done_on_time: int
    done_late: int
    done_without_deadline: int
    open_in_time: int
    open_overdue: int
    by_type: list[CountRow] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        """Share of the documents finished with a deadline that were finished by it (None when none)."""
        with_deadline = self.done_on_time + self.done_late
        return round(100 * self.done_on_time / with_deadline, 1) if with_deadline else None


@dataclass(frozen=True)
class DocumentStatistics:
    agency_name: str
    first: date
    last: date
    outgoing: OutgoingCounts
    incoming: IncomingCounts


def _type_rows(rows) -> list[CountRow]:
    labels = dict(DocumentType.choices)
    return [CountRow(key=r["doc_type"], label=labels.get(r["doc_type"], r["doc_type"]), count=r["n"])
            for r in sorted(rows, key=lambda r: (-r["n"], r["doc_type"]))]


def documents_statistics(*, actor, agency, first: date, last: date) -> DocumentStatistics:
    if first > last:
        raise ValidationFailed("Ngày bắt đầu phải trước ngày kết thúc.", code=DocumentError.INVALID_PERIOD)
    who = actor_load(actor)
    if not who.has(agency.pk, *READERS):
        raise PermissionDenied("Số liệu văn bản chỉ dành cho văn thư, lãnh đạo của cơ quan.",
                               code=DocumentError.WRONG_AGENCY)

    # Issued in the period, as the outgoing register counts them (recalled and replaced included).
    out = outgoing_list(actor=who, agency_id=agency.pk).filter(
        status__in=ISSUED, issued_on__gte=first, issued_on__lte=last).order_by()
    out_totals = out.aggregate(total=Count("pk"), signed=Count("pk", filter=Q(digitally_signed=True)))
    by_unit = [CountRow(key=str(r["department_id"] or ""), label=r["department__name"] or "Văn phòng, lãnh đạo cơ quan",
                        count=r["n"])
               for r in out.values("department_id", "department__name").annotate(n=Count("pk"))
               .order_by("-n", "department__name")]
    outgoing = OutgoingCounts(
        total=out_totals["total"], signed_electronically=out_totals["signed"],
        not_signed_electronically=out_totals["total"] - out_totals["signed"],
        by_type=_type_rows(out.values("doc_type").annotate(n=Count("pk"))), by_unit=by_unit)

    # Arrived in the period, as the incoming register counts them.
    inc = incoming_list(actor=who, agency_id=agency.pk, date_from=first, date_to=last).order_by()
    S = IncomingDocument.Status
    done = Q(status=S.DONE, finished_at__isnull=False)
    open_ = ~Q(status__in=[S.DONE, S.RECALLED])
    t = inc.aggregate(
        total=Count("pk"),
        electronic=Count("pk", filter=Q(source__in=[IncomingDocument.Source.INTERNAL, IncomingDocument.Source.EDXML])),
        valid=Count("pk", filter=Q(signature_summary__verdict="valid")),
        on_time=Count("pk", filter=done & Q(due_at__isnull=False, finished_at__lte=F("due_at"))),
        late=Count("pk", filter=done & Q(due_at__isnull=False, finished_at__gt=F("due_at"))),
        no_deadline=Count("pk", filter=done & Q(due_at__isnull=True)),
        open_overdue=Count("pk", filter=open_ & Q(deadline_state=IncomingDocument.DeadlineState.OVERDUE)),
        open_all=Count("pk", filter=open_),
    )
    incoming = IncomingCounts(
        total=t["total"], received_electronically=t["electronic"], with_valid_signature=t["valid"],
        done_on_time=t["on_time"], done_late=t["late"], done_without_deadline=t["no_deadline"],
        open_in_time=t["open_all"] - t["open_overdue"], open_overdue=t["open_overdue"],
        by_type=_type_rows(inc.values("doc_type").annotate(n=Count("pk"))))
    return DocumentStatistics(agency_name=agency.name, first=first, last=last, outgoing=outgoing, incoming=incoming)
