"""The demo catalogue (``tinhso demo load``, run by ``make run``): every province- or commune-level
procedure of the shipped data files, and complete records for the common ones.

Order: the 630 index entries, the national full records (enriched with ``data/demo-enrichment.json``),
then the procedures written from their legal texts (``data/demo-procedures.json``). Complete records
are linked to the demo province's agencies: commune procedures to each commune's UBND (competent)
and service centre (receiving), province procedures to the provincial service centre (receiving)
and the competent Sở. Re-running changes nothing (``source_hash``; see services/records.py).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from tinhso.catalog.choices import AgencyRole
from tinhso.catalog.services.importing import catalog_import_rows, json_rows, jsonl_rows
from tinhso.org.demo import DemoContext, demo_loader
from tinhso.org.models import Agency

DATA = Path(__file__).resolve().parent / "data"
# The competent Sở of the province-level demo procedures, by name (agency codes are the org demo's).
PROVINCE_COMPETENT = {"2.001610": "Sở Tài chính"}


def _agency_links(raw: dict, agencies: list[Agency]) -> list[dict]:
    level = str(raw.get("level") or "")
    police = "công an" in " ".join(raw.get("competent_authority") or []).lower()
    links: list[dict] = []
    if "Cấp xã" in level:
        for agency in agencies:
            if agency.level != Agency.Level.COMMUNE:
                continue
            if agency.kind == Agency.Kind.SERVICE_CENTER:
                links.append({"agency": agency.code, "role": AgencyRole.RECEIVING})
            elif agency.kind == Agency.Kind.PEOPLE_COMMITTEE and not police:
                links.append({"agency": agency.code, "role": AgencyRole.COMPETENT})
        if police:
            links += [{"agency": a.code, "role": AgencyRole.COMPETENT} for a in agencies
                      if a.level == Agency.Level.PROVINCE and a.kind == Agency.Kind.POLICE]
    elif "Cấp tỉnh" in level:
        links += [{"agency": a.code, "role": AgencyRole.RECEIVING} for a in agencies
                  if a.level == Agency.Level.PROVINCE and a.kind == Agency.Kind.SERVICE_CENTER]
        wanted = PROVINCE_COMPETENT.get(raw.get("code"), "")
        links += [{"agency": a.code, "role": AgencyRole.COMPETENT} for a in agencies
                  if wanted and a.level == Agency.Level.PROVINCE and a.name.startswith(wanted)]
    return links


def demo_transform(enrichment: dict, agencies: list[Agency], log=lambda message: None):
    """Attach the enrichment and the demo agency links to a raw record (a copy)."""
    known = {a.code for a in agencies}

    def transform(raw: dict) -> dict:
        raw = copy.deepcopy(raw)
        extra = raw.get("tinhso") or copy.deepcopy(enrichment.get(raw.get("code")))
        if not extra:
            return raw  # index entries stay as published nationally
        extra["agency_links"] = _agency_links(raw, agencies)
        fixed = {s.get("agency") for s in (extra.get("process") or {}).get("steps", []) if s.get("agency")}
        if fixed - known:
            log(f"  {raw.get('code')}: thiếu cơ quan {', '.join(sorted(fixed - known))}, bỏ quy trình nội bộ")
            extra.pop("process")
        raw["tinhso"] = extra
        return raw

    return transform


@demo_loader("catalog.procedures", order=100)
def load_procedures(ctx: DemoContext) -> None:
    enrichment = json.loads((DATA / "demo-enrichment.json").read_text(encoding="utf-8"))
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    transform = demo_transform(enrichment, agencies, log=ctx.log)
    sources = [
        ("procedures-index.jsonl", jsonl_rows(DATA / "procedures-index.jsonl")),
        ("procedures.jsonl", jsonl_rows(DATA / "procedures.jsonl")),
        ("demo-procedures.json", json_rows(DATA / "demo-procedures.json")),
    ]
    for name, rows in sources:
        report = catalog_import_rows(actor=None, rows=rows, file=name, transform=transform)
        ctx.log(f"  {report.summary()}")
        for rejection in report.rejected:
            ctx.log(f"    từ chối dòng {rejection.row} ({rejection.code}): {rejection.reason}")
