"""Benchmark of the statistics (issue #14): the leader's numbers and the QĐ 766 score over HTTP, and the
cost of one roll-up event, each as a ratio to the health endpoint measured in the same run.

    .venv/bin/python bench/bench_reports.py [--dossiers 1000000] [--seconds 8]
                                            [--pg postgresql://postgres@127.0.0.1:5432] [--no-write]

What it does:

1. creates a throw-away PostgreSQL database, migrates it and loads the province of
   ``bench_dossiers.py`` (24 commune centres, 12 procedures) with ``--dossiers`` dossiers over one
   year, generated in SQL by the same statement;
2. fills the roll-up tables (``DossierFact``, ``DailyStat``) in two set-based statements, then checks
   them against the services: ``rollup_rebuild`` of one day must leave that day's rows unchanged;
3. measures ``reports.services.fact_refresh`` in-process on 2.000 random dossiers, once as a
   redelivered event (nothing changes) and once as an event that changes the counters (the
   dossier's contribution removed first, so the refresh adds it back — the totals are checked to be
   the same afterwards);
4. starts gunicorn as ``bench_dossiers.py`` does and measures ``GET /api/v1/health`` (the baseline),
   ``GET /api/v1/reports/dossiers`` and ``GET /api/v1/reports/766`` for a quarter, for the whole
   province (a leader's API key in the province's people's committee) and for the busiest centre;
5. drops the database and writes docs/benchmarks.md ("Thống kê và Bộ chỉ số 766").
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time

from bench_dossiers import (
    CONNECTIONS,
    WORKERS,
    Result,
    default_pg_url,
    free_port,
    generate,
    gunicorn_start,
    gunicorn_stop,
    load,
    rows_table,
    seed,
)
from common import (
    ROOT,
    admin_sql,
    django_setup,
    log,
    no_write_argument,
    pg_database,
    report,
    run_header,
    thousands,
)

SECTION = "## Thống kê và Bộ chỉ số 766"
QUARTER = "period=quarter&year=2026&quarter=3"

FACTS = """
INSERT INTO reports_dossierfact (dossier_id, agency_id, procedure_id, channel, status, received_on, resolved_on,
                                 verdict, processing_minutes, overdue_on, full_eligible, has_files, has_result,
                                 reused, vneid)
SELECT d.id, d.receiving_agency_id, d.procedure_id, d.channel, d.status,
       (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
       (d.resolved_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
       CASE WHEN d.resolved_at IS NOT NULL THEN d.verdict ELSE '' END,
       CASE WHEN d.resolved_at IS NOT NULL
            THEN greatest(0, floor(extract(epoch FROM d.resolved_at - d.received_at) / 60))::bigint ELSE 0 END,
       NULL, v.online_level = 'FULL',
       EXISTS (SELECT 1 FROM dossiers_dossierdocument f WHERE f.dossier_id = d.id
               AND f.role IN ('submitted', 'scan', 'supplement')),
       EXISTS (SELECT 1 FROM dossiers_dossierdocument f WHERE f.dossier_id = d.id AND f.role = 'result'),
       d.form_data <> '{}'::jsonb AND EXISTS (SELECT 1 FROM catalog_requireddocument r
                                              WHERE r.version_id = d.procedure_version_id AND r.replaced_by_eform),
       false
FROM dossiers_dossier d JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
WHERE d.received_at IS NOT NULL AND d.receiving_agency_id IS NOT NULL
"""

DAILY = """
INSERT INTO reports_dailystat (day, agency_id, procedure_id, channel, received, online, resolved, early, on_time,
                               late, overdue, processing_minutes, full_eligible, full_online, digitised, reused,
                               vneid, with_result)
SELECT day, agency_id, procedure_id, channel, sum(received), sum(online), sum(resolved), sum(early), sum(on_time),
       sum(late), 0, sum(minutes), sum(full_eligible), sum(full_online), sum(digitised), sum(reused), sum(vneid),
       sum(with_result)
FROM (
    SELECT received_on AS day, agency_id, procedure_id, channel, 1 AS received, (channel = 'online')::int AS online,
           0 AS resolved, 0 AS early, 0 AS on_time, 0 AS late, 0 AS minutes, full_eligible::int AS full_eligible,
           (full_eligible AND channel = 'online')::int AS full_online, (has_files AND has_result)::int AS digitised,
           reused::int AS reused, vneid::int AS vneid, 0 AS with_result
    FROM reports_dossierfact WHERE received_on IS NOT NULL
    UNION ALL
    SELECT resolved_on, agency_id, procedure_id, channel, 0, 0, 1, (verdict = 'early')::int,
           (verdict = 'on_time')::int, (verdict = 'late')::int, processing_minutes, 0, 0, 0, 0, 0, has_result::int
    FROM reports_dossierfact WHERE resolved_on IS NOT NULL
) AS parts GROUP BY 1, 2, 3, 4
"""


def rollup_fill() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FACTS)
        cursor.execute(DAILY)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) reports_dossierfact")
        cursor.execute("VACUUM (ANALYZE) reports_dailystat")


def day_rows(day) -> dict:
    from tinhso.reports.models import COUNTERS, DailyStat

    return {(r.agency_id, r.procedure_id, r.channel): tuple(getattr(r, n) for n in COUNTERS)
            for r in DailyStat.objects.filter(day=day) if any(getattr(r, n) for n in COUNTERS)}


def rollup_check() -> tuple[object, int]:
    """The SQL fill equals what the services compute: rebuilding one busy day changes none of its rows."""
    from django.db.models import Sum

    from tinhso.reports.models import DailyStat
    from tinhso.reports.services import rollup_rebuild

    day = DailyStat.objects.values("day").annotate(n=Sum("received")).order_by("-n").first()["day"]
    before = day_rows(day)
    result = rollup_rebuild(start=day, end=day)
    after = day_rows(day)
    if before != after:
        raise SystemExit(f"roll-up mismatch on {day}: the SQL fill and rollup_rebuild disagree")
    return day, result.dossiers


def refresh_cost(samples: int) -> tuple[float, float]:
    """Seconds per ``fact_refresh``: a redelivered event, and an event that changes the counters."""
    from django.db import transaction

    from tinhso.reports.models import DossierFact
    from tinhso.reports.services import _apply, contributions, fact_refresh, rollup_totals

    ids = list(DossierFact.objects.order_by("?").values_list("dossier_id", flat=True)[:samples])
    started = time.perf_counter()
    for dossier_id in ids:
        fact_refresh(dossier_id=dossier_id)
    unchanged = (time.perf_counter() - started) / len(ids)
    totals = rollup_totals()
    with transaction.atomic():  # forget the samples, as if their events had not been delivered yet
        for fact in DossierFact.objects.filter(dossier_id__in=ids):
            _apply({key: {name: -value for name, value in counts.items()}
                    for key, counts in contributions(fact).items()})
        DossierFact.objects.filter(dossier_id__in=ids).delete()
    started = time.perf_counter()
    for dossier_id in ids:
        fact_refresh(dossier_id=dossier_id)
    changed = (time.perf_counter() - started) / len(ids)
    if rollup_totals() != totals:
        raise SystemExit("roll-up totals changed after refreshing the samples")
    return unchanged, changed


def measure(port: int, key: str, agency: str, seconds: float) -> list[Result]:
    headers = {"Authorization": f"Bearer {key}"}
    kinds = [
        ("GET /api/v1/health (baseline)", "/api/v1/health"),
        ("GET /api/v1/reports/dossiers — province, quarter", f"/api/v1/reports/dossiers?{QUARTER}"),
        ("GET /api/v1/reports/766 — province, quarter", f"/api/v1/reports/766?{QUARTER}"),
        ("GET /api/v1/reports/dossiers — busiest centre", f"/api/v1/reports/dossiers?{QUARTER}&agency={agency}"),
        ("GET /api/v1/reports/766 — busiest centre", f"/api/v1/reports/766?{QUARTER}&agency={agency}"),
    ]
    results = []
    for name, path in kinds:
        log(f"measuring {name}")
        results.append(load(name, port, seconds, lambda _i, path=path: ("GET", path, None, headers)))
    return results


def section(results: list[Result], *, dossiers: int, facts: int, daily: int, quarter_facts: int, check_day,
            check_dossiers: int, unchanged: float, changed: float, samples: int, seconds: float,
            elapsed: float) -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    base_ms = results[0].percentile(50)
    lines = [
        SECTION,
        "",
        f"{run_header('bench_reports.py', software=[f'Django {django.get_version()}', pg])} shared by server and "
        f"load generator; gunicorn as in docs/deployment.md, {WORKERS} sync workers, {CONNECTIONS} client threads, "
        f"{seconds:.0f} s per request kind; the whole run took {elapsed:.0f} s; load average "
        f"{os.getloadavg()[0]:.1f} at the end (compare the ratios, not the milliseconds).",
        "",
        f"**{thousands(dossiers)} dossiers** over one year ({thousands(facts)} received: `DossierFact` rows; "
        f"{thousands(daily)} `DailyStat` rows), {thousands(quarter_facts)} received in the quarter measured "
        "(Q3/2026). The roll-up tables were filled in SQL and checked against the services: "
        f"`rollup_rebuild` of the busiest day ({check_day:%d/%m/%Y}, {thousands(check_dossiers)} dossiers "
        "refreshed) left its rows unchanged.",
        "",
        *rows_table(results),
        "",
        f"**Roll-up cost per event** (`fact_refresh` in-process, {thousands(samples)} random dossiers): "
        f"{unchanged * 1000:.2f} ms for a redelivered event (nothing changes: {unchanged * 1000 / base_ms:.1f} × "
        f"the health check's p50), {changed * 1000:.2f} ms for an event that changes the counters "
        f"(fact written, daily rows created or updated: {changed * 1000 / base_ms:.1f} × the health check).",
        "",
        "The leader's numbers and the 766 indicators 6, 10–12, 14, 16, 17 read `DailyStat` (grouped sums over "
        "the quarter's days, one query for all of them). Indicator 5 reads `DossierFact` joined with the dossier "
        "(its state at the period's end: due date, supplements, closing time), 23 the ratings selector (returned "
        "dossiers of the quarter); those two grow with the quarter's dossiers. Issue #14 asks for ≤ 1 s at "
        "10.000.000 dossiers a year: the leader's numbers are on that path, the 766 score is not yet (5 and 23 "
        "would need their own daily counters) — run with `--dossiers 10000000` to measure it.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="load duration per request kind")
    parser.add_argument("--samples", type=int, default=2000, help="dossiers refreshed to time one roll-up event")
    parser.add_argument("--pg", default=default_pg_url(), help="PostgreSQL server URL of a role that may CREATE DATABASE")
    no_write_argument(parser)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    name = f"tinhso_bench_reports_{os.getpid()}"
    database_url = pg_database(args.pg, name)
    admin_sql(args.pg, f"CREATE DATABASE {name}")
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="tinhso-bench-reports-") as data_dir:
            log(f"database {name}: migrating")
            django_setup(database_url=database_url, data_dir=data_dir)
            province = seed()
            from django.conf import settings

            from tinhso.accounts.services import apikey_create
            from tinhso.org.models import Agency
            from tinhso.reports.models import DailyStat, DossierFact

            key = apikey_create(actor=None, agency=Agency.objects.get(code=settings.TINHSO_PROVINCE_CODE),
                                roles=["leader"], name="Lãnh đạo tỉnh")[1]
            log(f"generating {args.dossiers} dossiers")
            generate(province, first=1, last=args.dossiers, seq_offset=0, events=False)
            log("filling the roll-up tables")
            rollup_fill()
            log("checking the roll-up against rollup_rebuild")
            check_day, check_dossiers = rollup_check()
            log("timing fact_refresh")
            random.seed(1)
            unchanged, changed = refresh_cost(args.samples)
            facts, daily = DossierFact.objects.count(), DailyStat.objects.count()
            from datetime import date

            quarter_facts = DossierFact.objects.filter(received_on__range=(date(2026, 7, 1), date(2026, 9, 30))).count()
            env = {**os.environ, "TINHSO_DATABASE_POOL": "true", "TINHSO_DEBUG": "false",
                   "TINHSO_SECRET_KEY": "bench-secret-key-" + "x" * 40,
                   "TINHSO_ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT / "src")}
            port = free_port()
            from django.db import connections

            connections.close_all()
            server = gunicorn_start(env, port)
            results = measure(port, key, province.agencies[0].code, args.seconds)
            gunicorn_stop(server)
            server = None
            text = section(results, dossiers=args.dossiers, facts=facts, daily=daily, quarter_facts=quarter_facts,
                           check_day=check_day, check_dossiers=check_dossiers, unchanged=unchanged, changed=changed,
                           samples=args.samples, seconds=args.seconds, elapsed=time.perf_counter() - started)
            connections.close_all()
    finally:
        if server is not None:
            gunicorn_stop(server)
        if "django" in sys.modules and "tinhso.config.settings" in sys.modules:
            from django.db import connections

            connections.close_all()
        admin_sql(args.pg, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        log(f"database {name} dropped")
    report(SECTION, text, no_write=args.no_write)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
