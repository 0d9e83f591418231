"""Reads, always for an actor (issue #11 §6–7).

Non-secret documents: those the actor is named on (drafted, reviews, signs, registered, assigned),
plus every document of an agency where the actor is văn thư or leader. Secret ones (MẬT and above):
only those the actor is named on, in lists, in search and when opened; every opening of a secret
document is written to the audit chain.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from tinhso.core.audit import audit_record
from tinhso.core.errors import NotFound
from tinhso.core.text import fold
from tinhso.documents.access import Actor, actor_load
from tinhso.documents.errors import DocumentError
from tinhso.documents.kinds import Confidentiality, Urgency
from tinhso.documents.models import IncomingDocument, OutgoingDocument

MANAGERS = ("clerk", "leader")
SECRET_READ = "documents.secret_read"  # noqa: S105 - an audit action name

# Urgent documents first in every queue (Điều 21, 23, 24: handled immediately).
URGENCY_RANK = Case(When(urgency=Urgency.FLASH, then=Value(0)), When(urgency=Urgency.VERY_URGENT, then=Value(1)),
                    When(urgency=Urgency.URGENT, then=Value(2)), default=Value(3), output_field=IntegerField())


def _managed(actor: Actor) -> list[int]:
    return [agency for agency, roles in actor.roles.items() if roles & set(MANAGERS)]


def _scope(queryset: QuerySet, actor: Actor) -> QuerySet:
    named = Q(participants=actor.user)
    open_to_managers = Q(agency_id__in=_managed(actor), confidentiality=Confidentiality.NORMAL)
    ids = queryset.model.objects.filter(named | open_to_managers).values("pk")
    return queryset.filter(pk__in=ids)


def _search(queryset: QuerySet, q: str | None) -> QuerySet:
    for word in fold(q or "").split()[:8]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def incoming_list(*, actor, q: str | None = None, status: str | None = None, doc_type: str | None = None,
                  agency_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
                  mine: bool = False, deadline_state: str | None = None) -> QuerySet[IncomingDocument]:
    who = actor if isinstance(actor, Actor) else actor_load(actor)
    qs = _scope(IncomingDocument.objects.all(), who)
    if mine:
        qs = qs.filter(assignments__user=who.user).exclude(status__in=[IncomingDocument.Status.DONE,
                                                                          IncomingDocument.Status.RECALLED]).distinct()
    if status:
        qs = qs.filter(status=status)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if date_from:
        qs = qs.filter(arrived_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(arrived_at__date__lte=date_to)
    if deadline_state:
        qs = qs.filter(deadline_state=deadline_state)
    return (_search(qs, q).select_related("agency", "register").annotate(urgency_rank=URGENCY_RANK)
            .order_by("urgency_rank", "-arrived_at", "-id"))


def outgoing_list(*, actor, q: str | None = None, status: str | None = None, doc_type: str | None = None,
                  agency_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
                  awaiting_me: bool = False, department_id: int | None = None) -> QuerySet[OutgoingDocument]:
    who = actor if isinstance(actor, Actor) else actor_load(actor)
    qs = _scope(OutgoingDocument.objects.all(), who)
    if awaiting_me:
        S = OutgoingDocument.Status
        qs = qs.filter(Q(status=S.IN_REVIEW, reviewer=who.user) | Q(status=S.AWAITING_SIGNATURE, signer=who.user))
    if status:
        qs = qs.filter(status=status)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    return (_search(qs, q).select_related("agency", "signer", "drafted_by").annotate(urgency_rank=URGENCY_RANK)
            .order_by("urgency_rank", "-created_at", "-id"))


def clerk_desk(*, actor) -> dict[str, QuerySet]:
    """What the văn thư has to do: signed documents to issue."""
    who = actor if isinstance(actor, Actor) else actor_load(actor)
    clerk_of = [a for a, roles in who.roles.items() if "clerk" in roles]
    return {"to_issue": outgoing_list(actor=who, status=OutgoingDocument.Status.SIGNED).filter(agency_id__in=clerk_of)}


def _get(model, *, actor, pk) -> object:
    who = actor if isinstance(actor, Actor) else actor_load(actor)
    document = _scope(model.objects.select_related("agency"), who).filter(pk=pk).first()
    if document is None:
        # The same answer whether it does not exist or is not the actor's: no existence oracle.
        raise NotFound("Không tìm thấy văn bản.", code=DocumentError.NOT_FOUND)
    if document.is_secret:
        audit_record(actor=who.user, action=SECRET_READ, target=document,
                     data={"confidentiality": document.confidentiality})
    return document


def outgoing_get(*, actor, pk) -> OutgoingDocument:
    return _get(OutgoingDocument, actor=actor, pk=pk)


def incoming_get(*, actor, pk) -> IncomingDocument:
    return _get(IncomingDocument, actor=actor, pk=pk)
