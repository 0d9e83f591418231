"""Keep the denormalised search fields of ``Procedure`` in step with its current version.

``current_version``, ``search_text`` and ``name_rank`` are derived data: refreshed when a version
is published or imported, and by ``tinhso catalog refresh`` (run it daily, so a version whose
``effective_from`` arrives becomes current; see docs/catalog.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from tinhso.catalog.choices import VersionStatus
from tinhso.catalog.models import Procedure, ProcedureVersion, SearchWord
from tinhso.catalog.search import (
    MAX_WORD_LENGTH,
    PART_SEPARATOR,
    PHRASE_SEPARATOR,
    collation_key,
    name_for_sorting,
    search_document,
)

SEPARATORS = {PART_SEPARATOR, PHRASE_SEPARATOR}


def version_search_text(version: ProcedureVersion) -> str:
    return search_document(
        name=version.name,
        keywords=re.split(r"[,;\n]", version.keywords or ""),
        others=[
            version.procedure.code,
            version.sector.name if version.sector_id else "",
            *version.agencies_text,
            *version.competent_text,
        ],
    )


def _current_versions(procedure_ids: list[int] | None, on: date) -> dict[int, int]:
    """procedure id → id of its current version (latest effective, then latest published)."""
    versions = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=on)
    if procedure_ids is not None:
        versions = versions.filter(procedure_id__in=procedure_ids)
    current: dict[int, int] = {}
    rows = versions.order_by("procedure_id", "-effective_from", "-published_at", "-number").values_list(
        "procedure_id", "id"
    )
    for procedure_id, version_id in rows:
        current.setdefault(procedure_id, version_id)
    return current


def search_words_add(texts: Iterable[str]) -> None:
    """Add the words of ``texts`` to the vocabulary table (append-only)."""
    found = {w for t in texts for w in t.split() if w not in SEPARATORS and len(w) <= MAX_WORD_LENGTH}
    if not found:
        return
    known: set[str] = set()
    pending = sorted(found)
    for start in range(0, len(pending), 500):
        chunk = pending[start : start + 500]
        known |= set(SearchWord.objects.filter(word__in=chunk).values_list("word", flat=True))
    fresh = [SearchWord(word=w) for w in pending if w not in known]
    if fresh:
        SearchWord.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=500)


def procedure_current_refresh(*, procedure: Procedure, add_words: bool = True) -> str:
    """Point one procedure at its current version and refresh its search text (4 queries)."""
    from tinhso.catalog.selectors import procedure_current_version

    current = procedure_current_version(procedure=procedure)
    text = version_search_text(current) if current else ""
    Procedure.objects.filter(pk=procedure.pk).update(current_version=current, search_text=text)
    procedure.current_version, procedure.search_text = current, text
    if add_words:
        search_words_add([text])
    return text


@transaction.atomic
def procedures_refresh(*, procedures: Iterable[Procedure] | None = None, on: date | None = None) -> int:
    """Recompute ``current_version`` and ``search_text`` (all procedures when ``procedures`` is None).

    Returns how many procedures changed. Call ``procedure_ranks_refresh`` afterwards when names may
    have changed (the publish and import services do).
    """
    day = on or timezone.localdate()
    ids = None if procedures is None else [p.pk for p in procedures]
    current = _current_versions(ids, day)
    rows = Procedure.objects.all() if ids is None else Procedure.objects.filter(pk__in=ids)
    versions = {
        v.id: v for v in ProcedureVersion.objects.filter(id__in=current.values()).select_related("procedure", "sector")
    }
    changed: list[Procedure] = []
    for procedure in rows.only("id", "code", "current_version_id", "search_text"):
        version = versions.get(current.get(procedure.id, -1))
        text = version_search_text(version) if version else ""
        new_id = version.id if version else None
        if procedure.current_version_id != new_id or procedure.search_text != text:
            procedure.current_version_id = new_id
            procedure.search_text = text
            changed.append(procedure)
    if changed:
        Procedure.objects.bulk_update(changed, ["current_version", "search_text"], batch_size=500)
        search_words_add(p.search_text for p in changed)
    return len(changed)


@transaction.atomic
def procedure_ranks_refresh() -> int:
    """Number the procedures by Vietnamese collation of their current name; returns rows changed."""
    rows = list(
        Procedure.objects.filter(current_version__isnull=False).values_list("id", "code", "current_version__name", "name_rank")
    )
    rows.sort(key=lambda r: (collation_key(name_for_sorting(r[2])), r[1]))
    changed = []
    for rank, (pk, _code, _name, old) in enumerate(rows, start=1):
        if old != rank:
            changed.append(Procedure(pk=pk, name_rank=rank))
    if changed:
        Procedure.objects.bulk_update(changed, ["name_rank"], batch_size=1000)
    return len(changed)


def catalog_refresh(*, on: date | None = None) -> int:
    """Everything derived, for every procedure (``tinhso catalog refresh``)."""
    changed = procedures_refresh(on=on)
    procedure_ranks_refresh()
    return changed
