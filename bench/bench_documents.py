"""Benchmark of the document office (issue #11): the incoming inbox and the register at a million
documents, and numbering under concurrency.

    .venv/bin/python bench/bench_documents.py [--documents 1000000] [--seconds 8]
                                              [--pg postgresql://postgres@127.0.0.1:5432] [--no-write]

1. creates a throw-away PostgreSQL database, migrates it, loads a province with 20 communes' People's
   Committees (document profiles, incoming registers for 2025 and 2026) and a clerk's API key;
2. generates ``--documents`` incoming documents in SQL over two years (agencies skewed; most done, some
   assigned or in progress, a few overdue), with their folded search text as the app stores it;
3. starts gunicorn as docs/deployment.md tells and measures against ``GET /api/v1/health`` in the same
   run: the clerk's inbox (first page; a search without diacritics; a page further on) and the incoming
   register (sổ đăng ký văn bản đến) of one month as Excel;
4. numbering under concurrency, in-process on the same database: 1 and 4 threads registering incoming
   documents with ``incoming_register`` (the clerk's service: permission, register, số đến, event,
   audit) for two seconds each, documents per second, and the numbers checked gapless;
5. stops gunicorn, drops the database, writes docs/benchmarks.md ("Văn bản đến, đi").
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import threading
import time

from bench_dossiers import (
    CONNECTIONS,
    WORKERS,
    default_pg_url,
    free_port,
    gunicorn_start,
    gunicorn_stop,
    load,
    rows_table,
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

SECTION = "## Văn bản đến, đi"
AGENCIES = 20
SUBJECTS = [
    "Về việc triển khai kế hoạch chuyển đổi số năm 2026", "Về việc báo cáo kết quả giải quyết thủ tục hành chính",
    "Về việc tăng cường công tác phòng chống thiên tai", "Về việc tổ chức tập huấn chứng thực điện tử",
    "Về việc rà soát, cập nhật cơ sở dữ liệu dân cư", "Về việc đôn đốc thu ngân sách nhà nước",
    "Về việc hướng dẫn đăng ký hộ tịch trực tuyến", "Về việc chuẩn bị Tết Nguyên đán Bính Ngọ",
    "Về việc kiểm tra an toàn thực phẩm", "Về việc cử cán bộ tham dự hội nghị trực tuyến",
]
SENDERS = ["Sở Nội vụ tỉnh Phú Thọ", "Sở Tài chính tỉnh Phú Thọ", "Văn phòng UBND tỉnh Phú Thọ",
           "Sở Tư pháp tỉnh Phú Thọ", "Công an tỉnh Phú Thọ", "Bộ Nội vụ"]
SEARCHES = ["chuyen doi so", "ho tich truc tuyen", "tet nguyen dan", "an toan thuc pham", "phong chong thien tai"]


def seed():
    from django.conf import settings

    from tinhso.accounts.services.apikeys import apikey_create
    from tinhso.documents.models import DocumentProfile, DocumentRegister
    from tinhso.org.models import Agency
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh Phú Thọ")
    workdays_seed(calendar=calendar, years=range(2025, 2028))
    province = Agency.objects.create(code=settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Phú Thọ",
                                     level="province", kind="people_committee", work_calendar=calendar)
    communes = [Agency.objects.create(code=f"H44.{301 + i}", name=f"Ủy ban nhân dân xã số {i + 1}", level="commune",
                                      kind="people_committee", parent=province) for i in range(AGENCIES)]
    registers = {}
    for agency in communes:
        DocumentProfile.objects.create(agency=agency, notation="UBND", place=agency.name.split("xã ")[-1])
        for year in (2025, 2026):
            registers[(agency.pk, year)] = DocumentRegister.objects.create(
                agency=agency, year=year, kind=DocumentRegister.Kind.INCOMING, series=DocumentRegister.Series.INCOMING)
    key = apikey_create(actor=None, agency=communes[0], roles=["clerk", "leader"], name="Văn thư xã số 1")[1]
    return communes, registers, key


GENERATE = """
WITH base AS (
    SELECT g, (floor(power(random(), 2.0) * %(agencies)s))::int AS ai, floor(random() * %(subjects)s)::int + 1 AS s,
           floor(random() * %(senders)s)::int + 1 AS se, random() AS r,
           make_timestamptz(2025, 1, 1, 7, 0, 0, 'Asia/Ho_Chi_Minh')
               + make_interval(secs => (g::float / %(total)s) * 700 * 86400) AS at
    FROM generate_series(%(first)s, %(last)s) AS g
)
INSERT INTO documents_incomingdocument (
    agency_id, register_id, arrival_number, arrived_at, source, sender_code, sender_name, their_notation,
    their_date, doc_type, subject, urgency, confidentiality, signer_name, metadata_only, signature_summary,
    status, version, instruction, due_at, deadline_state, finished_at, result_note, search_text, created_at)
SELECT
    (%(agency_ids)s::bigint[])[b.ai + 1],
    CASE WHEN extract(year FROM b.at AT TIME ZONE 'Asia/Ho_Chi_Minh') = 2025 THEN (%(reg2025)s::bigint[])[b.ai + 1]
         ELSE (%(reg2026)s::bigint[])[b.ai + 1] END,
    b.g, b.at, (ARRAY['edxml','internal','upload','upload'])[1 + (b.g %% 4)], 'H44.02',
    (%(sender)s::text[])[b.se], (b.g %% 900 + 1)::text || '/SNV-VP', (b.at - interval '1 day')::date,
    (ARRAY['CV','CV','CV','QĐ','KH','TB','BC'])[1 + (b.g %% 7)], (%(subject)s::text[])[b.s],
    (ARRAY['normal','normal','normal','khan'])[1 + (b.g %% 4)], 'normal', 'Nguyễn Văn Giám', false, '{}',
    CASE WHEN b.at > now() - interval '20 days' THEN (ARRAY['registered','assigned','in_progress'])[1 + (b.g %% 3)]
         WHEN b.r < 0.03 THEN 'in_progress' ELSE 'done' END,
    1, '', b.at + interval '10 days',
    CASE WHEN b.at > now() - interval '20 days' THEN 'on_track' WHEN b.r < 0.03 THEN 'overdue' ELSE 'on_track' END,
    CASE WHEN b.at <= now() - interval '20 days' AND b.r >= 0.03 THEN b.at + interval '6 days' END,
    '', b.g::text || ' ' || (b.g %% 900 + 1)::text || '/snv-vp ' || (%(subject_folded)s::text[])[b.s] || ' '
        || (%(sender_folded)s::text[])[b.se] || ' h44.02', b.at
FROM base b
"""


def generate(agencies, registers, total: int) -> None:
    from django.db import connection, transaction

    from tinhso.core.text import fold

    params = {"agencies": len(agencies), "subjects": len(SUBJECTS), "senders": len(SENDERS), "total": total,
              "subject": SUBJECTS, "sender": SENDERS, "subject_folded": [fold(s) for s in SUBJECTS],
              "sender_folded": [fold(s) for s in SENDERS], "agency_ids": [a.pk for a in agencies],
              "reg2025": [registers[(a.pk, 2025)].pk for a in agencies],
              "reg2026": [registers[(a.pk, 2026)].pk for a in agencies]}
    step = 250_000
    with connection.cursor() as cursor:
        for first in range(1, total + 1, step):
            with transaction.atomic():
                cursor.execute(GENERATE, {**params, "first": first, "last": min(total, first + step - 1)})
            log(f"  {min(total, first + step - 1)} documents")
        cursor.execute("VACUUM (ANALYZE) documents_incomingdocument")
        # The generated arrival numbers are global; each register's counter continues above them, as it
        # would after a migration from an older system.
        cursor.execute("SELECT max(arrival_number) FROM documents_incomingdocument")
        top = cursor.fetchone()[0] or 0
    from tinhso.core.models import Sequence

    for register in registers.values():
        Sequence.objects.update_or_create(scope=register.scope_key, period="", defaults={"value": top})


def measure(port: int, seconds: float, key: str) -> list:
    rng = random.Random(11)
    auth = {"Authorization": f"Bearer {key}"}
    results = [load("GET /api/v1/health", port, seconds, lambda i: ("GET", "/api/v1/health", None, {}))]
    results.append(load("GET /api/v1/documents/incoming", port, seconds,
                        lambda i: ("GET", "/api/v1/documents/incoming", None, auth)))

    def search(i: int):
        from urllib.parse import quote

        return "GET", f"/api/v1/documents/incoming?q={quote(rng.choice(SEARCHES))}", None, auth

    results.append(load("GET /api/v1/documents/incoming?q=…", port, seconds, search))
    results.append(load("GET /api/v1/documents/incoming?page=40", port, seconds,
                        lambda i: ("GET", "/api/v1/documents/incoming?page=40", None, auth)))
    results.append(load("GET /api/v1/documents/registers/den.xlsx (1 tháng)", port, seconds,
                        lambda i: ("GET", "/api/v1/documents/registers/den.xlsx?agency=H44.301&from=2026-03-01"
                                          "&to=2026-03-31", None, auth), connections=2))
    return results


def numbering(agency, clerk, seconds: float = 2.0) -> list[tuple[int, float]]:
    """Documents registered per second by ``threads`` clerks at once, each number taken under the
    register's row lock; returns (threads, per second) and checks the numbers are gapless."""
    from datetime import date

    from django.db import connection

    from tinhso.documents.models import IncomingDocument
    from tinhso.documents.services import incoming_register

    rows = []
    for threads in (1, 4):
        counts = [0] * threads
        stop_at = time.perf_counter() + seconds
        start_id = IncomingDocument.objects.order_by("-id").values_list("id", flat=True).first()

        def work(index: int, counts=counts, stop_at=stop_at) -> None:
            try:
                while time.perf_counter() < stop_at:
                    incoming_register(actor=clerk, agency=agency, sender_name="Sở Nội vụ tỉnh Phú Thọ",
                                      their_notation=f"{index}-{counts[index]}/SNV", their_date=date(2026, 12, 7),
                                      doc_type="CV", subject="Về việc đo tốc độ cấp số đến")
                    counts[index] += 1
            finally:
                connection.close()

        pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        began = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - began
        numbers = sorted(IncomingDocument.objects.filter(id__gt=start_id).values_list("arrival_number", flat=True))
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), "arrival numbers have a gap"
        rows.append((threads, sum(counts) / elapsed))
    return rows


def section(results, numbered, *, documents: int, agency_rows: int, seconds: float, elapsed: float) -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    return "\n".join([
        SECTION, "",
        f"{run_header('bench_documents.py', software=[f'Django {django.get_version()}', pg])} shared by server and "
        f"load generator. gunicorn as in docs/deployment.md, {WORKERS} sync workers on the loopback; {CONNECTIONS} "
        f"client threads (2 for the register), {seconds:.0f} s per request kind; the whole run took "
        f"{elapsed:.0f} s; load average {os.getloadavg()[0]:.1f} at the end (compare the ratios, not the "
        "milliseconds).", "",
        f"**{thousands(documents)} incoming documents** over two years in {AGENCIES} communes (skewed); the clerk "
        f"(API key, văn thư and lãnh đạo of xã số 1) sees {thousands(agency_rows)} of them:", "",
        *rows_table(results), "",
        "Inbox = the clerk's incoming documents, newest first, 20 a page, with the total; `q` = a search without "
        "diacritics on the folded `search_text`; the register = sổ đăng ký văn bản đến (Phụ lục IV, 10 columns) of "
        "one month of that commune as Excel.", "",
        "Numbering under concurrency (`incoming_register`: permission, the year's register, the số đến under the "
        "counter's row lock, the document, its event and audit entry), numbers checked gapless:", "",
        "| clerks at once | documents per second |", "|---:|---:|",
        *[f"| {threads} | {per_second:.1f} |" for threads, per_second in numbered], "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--pg", default=default_pg_url())
    no_write_argument(parser)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    name = f"tinhso_bench_documents_{os.getpid()}"
    admin_sql(args.pg, f"CREATE DATABASE {name}")
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="tinhso-bench-documents-") as data_dir:
            log(f"database {name}: migrating")
            django_setup(database_url=pg_database(args.pg, name), data_dir=data_dir)
            agencies, registers, key = seed()
            log(f"generating {args.documents} incoming documents")
            generate(agencies, registers, args.documents)
            from django.db import connections

            from tinhso.accounts.models import User
            from tinhso.documents.models import IncomingDocument
            from tinhso.org.models import Membership

            agency_rows = IncomingDocument.objects.filter(agency=agencies[0]).count()
            env = {**os.environ, "TINHSO_DATABASE_POOL": "true", "TINHSO_DEBUG": "false",
                   "TINHSO_SECRET_KEY": "bench-secret-key-" + "x" * 40, "TINHSO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                   "PYTHONPATH": str(ROOT / "src")}
            connections.close_all()
            port = free_port()
            server = gunicorn_start(env, port)
            log("measuring health, inbox, register")
            results = measure(port, args.seconds, key)
            gunicorn_stop(server)
            server = None
            log("numbering under concurrency")
            clerk = User.objects.create(username="vt-bench", kind=User.Kind.STAFF, full_name="Văn thư đo")
            Membership.objects.create(user=clerk, agency=agencies[1], role="clerk")
            numbered = numbering(agencies[1], clerk)
            text = section(results, numbered, documents=args.documents, agency_rows=agency_rows,
                           seconds=args.seconds, elapsed=time.perf_counter() - started)
            connections.close_all()
    finally:
        if server is not None:
            gunicorn_stop(server)
        if "tinhso.config.settings" in sys.modules:
            from django.db import connections

            connections.close_all()
        admin_sql(args.pg, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    report(SECTION, text, no_write=args.no_write)


if __name__ == "__main__":
    main()
