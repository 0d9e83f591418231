"""Writes of the statistics: keep the roll-up tables in step with the dossiers (docs/reports.md).

``fact_refresh`` is the only way a fact changes: it computes what the dossier contributes now,
compares with the stored fact and adds the difference to the daily rows, in one transaction with
the fact row locked. It depends only on the dossier's state, never on the event, so a redelivered,
reordered or duplicated event changes nothing. ``rollup_rebuild`` recomputes a period from scratch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.catalog.choices import OnlineLevel
from tinhso.catalog.models import ProcedureVersion, RequiredDocument
from tinhso.dossiers.models import Dossier, DossierAlert, DossierDocument
from tinhso.dossiers.status import IN_PROGRESS, Channel
from tinhso.reports.models import COUNTERS, DailyStat, DossierFact

Key = tuple[date, int, int, str]  # day, agency_id, procedure_id, channel


@dataclass(frozen=True)
class FactData:
    agency_id: int | None
    procedure_id: int
    channel: str
    status: str
    received_on: date | None
    resolved_on: date | None
    verdict: str
    processing_minutes: int
    overdue_on: date | None
    full_eligible: bool = False
    has_files: bool = False
    has_result: bool = False
    reused: bool = False
    vneid: bool = False


@dataclass(frozen=True)
class Flags:
    """What the QĐ 766 counters need beyond the dossier row (its files, its procedure version, its owner)."""

    full_eligible: bool = False
    has_files: bool = False
    has_result: bool = False
    reused: bool = False
    vneid: bool = False


FILE_ROLES = (DossierDocument.Role.SUBMITTED, DossierDocument.Role.SCAN, DossierDocument.Role.SUPPLEMENT)
VNEID = "vneid"


def fact_flags(dossier: Dossier) -> Flags:
    """Four small reads: the version's online level and e-form components, the files, the owner."""
    version = ProcedureVersion.objects.filter(pk=dossier.procedure_version_id).values("online_level").first() or {}
    roles = set(DossierDocument.objects.filter(dossier=dossier).values_list("role", flat=True).distinct())
    reused = bool(dossier.form_data) and RequiredDocument.objects.filter(
        version_id=dossier.procedure_version_id, replaced_by_eform=True).exists()
    vneid = dossier.owner_id is not None and User.objects.filter(
        pk=dossier.owner_id, identity_provider=VNEID).exists()
    return Flags(full_eligible=version.get("online_level") == OnlineLevel.FULL, has_files=bool(roles & set(FILE_ROLES)),
                 has_result=DossierDocument.Role.RESULT in roles, reused=reused, vneid=vneid)


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def fact_compute(dossier: Dossier, *, overdue_announced: bool, flags: Flags | None = None) -> FactData | None:
    """What ``dossier`` contributes, or None when it never reached an agency (draft, submitted)."""
    if dossier.received_at is None or dossier.receiving_agency_id is None:
        return None
    resolved_on = _day(dossier.resolved_at)
    minutes = 0
    if dossier.resolved_at is not None:
        minutes = max(0, int((dossier.resolved_at - dossier.received_at).total_seconds() // 60))
    overdue_on = None
    if dossier.status in IN_PROGRESS and overdue_announced and dossier.due_at is not None:
        overdue_on = _day(dossier.due_at)
    return FactData(
        agency_id=dossier.receiving_agency_id, procedure_id=dossier.procedure_id, channel=dossier.channel,
        status=dossier.status, received_on=_day(dossier.received_at), resolved_on=resolved_on,
        verdict=dossier.verdict if resolved_on else "", processing_minutes=minutes, overdue_on=overdue_on,
        **vars(flags or Flags()),
    )


def contributions(fact: FactData | DossierFact | None) -> dict[Key, Counter]:
    """The counters a fact adds to each daily row."""
    out: dict[Key, Counter] = defaultdict(Counter)
    if fact is None or fact.agency_id is None:
        return out
    base = (fact.agency_id, fact.procedure_id, fact.channel)
    if fact.received_on is not None:
        row = out[(fact.received_on, *base)]
        row["received"] += 1
        row["online"] += int(fact.channel == Channel.ONLINE)
        row["full_eligible"] += int(fact.full_eligible)
        row["full_online"] += int(fact.full_eligible and fact.channel == Channel.ONLINE)
        row["digitised"] += int(fact.has_files and fact.has_result)
        row["reused"] += int(fact.reused)
        row["vneid"] += int(fact.vneid)
    if fact.resolved_on is not None:
        row = out[(fact.resolved_on, *base)]
        row["resolved"] += 1
        if fact.verdict in ("early", "on_time", "late"):
            row[fact.verdict] += 1
        row["processing_minutes"] += fact.processing_minutes
        row["with_result"] += int(fact.has_result)
    if fact.overdue_on is not None:
        out[(fact.overdue_on, *base)]["overdue"] += 1
    return out


def _apply(delta: dict[Key, Counter]) -> None:
    for key, counts in delta.items():
        changes = {name: value for name, value in counts.items() if value}
        if not changes:
            continue
        day, agency_id, procedure_id, channel = key
        DailyStat.objects.bulk_create(
            [DailyStat(day=day, agency_id=agency_id, procedure_id=procedure_id, channel=channel)],
            ignore_conflicts=True,
        )
        DailyStat.objects.filter(day=day, agency_id=agency_id, procedure_id=procedure_id, channel=channel).update(
            **{name: F(name) + value for name, value in changes.items()}
        )


def _difference(new: dict[Key, Counter], old: dict[Key, Counter]) -> dict[Key, Counter]:
    delta: dict[Key, Counter] = {}
    for key in set(new) | set(old):
        counts = Counter()
        for name in COUNTERS:
            value = new.get(key, Counter())[name] - old.get(key, Counter())[name]
            if value:
                counts[name] = value
        if counts:
            delta[key] = counts
    return delta


def _overdue_announced(dossier: Dossier) -> bool:
    return dossier.due_at is not None and DossierAlert.objects.filter(
        dossier=dossier, kind=DossierAlert.Kind.OVERDUE, due_at=dossier.due_at
    ).exists()


def fact_refresh(*, dossier_id: int) -> bool:
    """Bring one dossier's fact and the daily rows up to date; True when anything changed."""
    with transaction.atomic():
        dossier = Dossier.objects.filter(pk=dossier_id).first()
        stored = DossierFact.objects.select_for_update().filter(dossier_id=dossier_id).first()
        new = fact_compute(dossier, overdue_announced=_overdue_announced(dossier),
                           flags=fact_flags(dossier)) if dossier else None
        delta = _difference(contributions(new), contributions(stored))
        if new is None:
            if stored is not None:
                stored.delete()
        else:
            fields = {name: getattr(new, name) for name in FactData.__dataclass_fields__}
            if stored is None:
                DossierFact.objects.create(dossier_id=dossier_id, **fields)
            elif any(getattr(stored, name) != value for name, value in fields.items()):
                DossierFact.objects.filter(pk=stored.pk).update(**fields)
        _apply(delta)
        return bool(delta)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


@dataclass(frozen=True)
class RebuildResult:
    dossiers: int
    rows: int


def rollup_rebuild(*, start: date, end: date) -> RebuildResult:
    """Recompute the facts of every dossier that touches [start, end] and the daily rows of those days.

    Facts are refreshed through ``fact_refresh`` (so days outside the range stay consistent), then
    the daily rows inside the range are deleted and summed again from the facts.
    """
    low, high = _bounds(start, end)
    touching = Dossier.objects.filter(
        Q(received_at__gte=low, received_at__lt=high) | Q(resolved_at__gte=low, resolved_at__lt=high)
        | Q(due_at__gte=low, due_at__lt=high)
    ).values_list("pk", flat=True)
    stale = DossierFact.objects.filter(
        Q(received_on__range=(start, end)) | Q(resolved_on__range=(start, end)) | Q(overdue_on__range=(start, end))
    ).values_list("dossier_id", flat=True)
    ids = sorted(set(touching) | set(stale))
    for dossier_id in ids:
        fact_refresh(dossier_id=dossier_id)
    with transaction.atomic():
        DailyStat.objects.filter(day__range=(start, end)).delete()
        totals: dict[Key, Counter] = defaultdict(Counter)
        facts = DossierFact.objects.filter(
            Q(received_on__range=(start, end)) | Q(resolved_on__range=(start, end))
            | Q(overdue_on__range=(start, end))
        )
        for fact in facts.iterator(chunk_size=2000):
            for key, counts in contributions(fact).items():
                if start <= key[0] <= end:
                    totals[key].update(counts)
        DailyStat.objects.bulk_create(
            [DailyStat(day=k[0], agency_id=k[1], procedure_id=k[2], channel=k[3],
                       **{name: counts[name] for name in COUNTERS}) for k, counts in sorted(totals.items())],
            batch_size=2000,
        )
    return RebuildResult(dossiers=len(ids), rows=len(totals))


def rollup_totals(queryset=None) -> dict[str, int]:
    """Sum of the counters of the daily rows (all, or of ``queryset``)."""
    rows = (queryset if queryset is not None else DailyStat.objects.all()).aggregate(
        **{name: Sum(name) for name in COUNTERS}
    )
    return {name: rows[name] or 0 for name in COUNTERS}
