"""Writes on the procedure catalogue (DESIGN §4: services). Public entry points are re-exported."""

from tinhso.catalog.services.records import RecordOutcome, procedure_record_save, sector_ensure
from tinhso.catalog.services.search_index import catalog_refresh, procedure_ranks_refresh, procedures_refresh
from tinhso.catalog.services.usage import procedure_popularity_bump
from tinhso.catalog.services.versions import (
    procedure_create,
    procedure_version_check,
    procedure_version_discard,
    procedure_version_draft,
    procedure_version_publish,
    version_missing,
)

__all__ = [
    "RecordOutcome",
    "catalog_refresh",
    "procedure_create",
    "procedure_popularity_bump",
    "procedure_ranks_refresh",
    "procedure_record_save",
    "procedure_version_check",
    "procedure_version_discard",
    "procedure_version_draft",
    "procedure_version_publish",
    "procedures_refresh",
    "sector_ensure",
    "version_missing",
]
