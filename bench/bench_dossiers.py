"""Benchmark of the one-stop shop over HTTP: submission, tracking, work queue (issues #4, #5).

    .venv/bin/python bench/bench_dossiers.py [--dossiers 100000] [--queue-dossiers 1000000]
                                             [--seconds 8] [--pg postgresql://postgres@127.0.0.1:5432] [--no-write]

What it does, in a few minutes:

1. creates a throw-away PostgreSQL database, migrates it, and loads a province: the 2024–2027
   calendar, 24 commune service centres, 12 procedures with their process, API keys;
2. generates ``--dossiers`` realistic dossiers in SQL (agencies skewed, one year of working-hour
   receipts, statuses by age, three public timeline rows each);
3. starts gunicorn the way docs/deployment.md tells a province (``tinhso.config.wsgi:application``,
   access log on, psycopg pool) — bounded to 2 workers on the loopback so the load generator keeps
   a core — and measures with Python threads over ``http.client``:
   * ``GET /api/v1/health`` (the baseline: one ``SELECT 1``),
   * ``POST /api/v1/dossiers`` (online submission through an integrator's API key, 4 agencies),
   * ``GET /api/v1/tracking/{code}?phone=`` (random existing dossiers);
4. grows the table to ``--queue-dossiers`` and measures ``GET /api/v1/work-queue`` (a unit head
   of the busiest centre, first page of 50) against the baseline again;
5. stops gunicorn, drops the database, writes ``docs/benchmarks.md`` ("Một cửa: nộp hồ sơ và tra cứu").

Each figure is reported as a ratio to the baseline measured on the same server in the same run,
which stays comparable between machines where absolute numbers do not.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from common import (
    ROOT,
    admin_sql,
    django_setup,
    log,
    no_write_argument,
    percentile,
    pg_database,
    report,
    run_header,
    thousands,
)

SECTION = "## Một cửa: nộp hồ sơ và tra cứu"
AGENCIES = 24
PROCEDURES = 12
WORKERS = 2
CONNECTIONS = 4


# --- database -------------------------------------------------------------------------------------------


def default_pg_url() -> str:
    """The server ``make bench`` was pointed at (bench/run_all.py), else the local one."""
    configured = os.environ.get("TINHSO_DATABASE_URL", "")
    return os.environ.get("TINHSO_BENCH_PG") or (
        configured if configured.startswith("postgres") else "postgresql://postgres@127.0.0.1:5432"
    )


@dataclass
class Province:
    agencies: list  # the centres, busiest first
    procedures: list  # ProcedureSetup
    submit_keys: list[str]  # raw API keys, reception role in agencies[0..3]
    queue_key: str  # unit head of agencies[0]
    file_ids: dict[str, list[str]]  # api key → [form pdf id, id card png id]


def seed() -> Province:
    from django.conf import settings

    from tinhso.accounts.services import apikey_create
    from tinhso.catalog.choices import AgencyRole
    from tinhso.catalog.models import ProcedureAgency
    from tinhso.dossiers.tests import factories as f
    from tinhso.org.models import Agency
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh Phú Thọ")
    workdays_seed(calendar=calendar, years=range(2024, 2028))
    province = Agency.objects.create(code=settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Phú Thọ",
                                     level="province", kind="people_committee", work_calendar=calendar)
    centres = [
        Agency.objects.create(code=f"H44.{101 + i}", name=f"Trung tâm Phục vụ hành chính công xã số {i + 1}",
                              level="commune", kind="service_center", parent=province)
        for i in range(AGENCIES)
    ]
    names = ["Đăng ký khai sinh", "Đăng ký kết hôn", "Chứng thực bản sao từ bản chính", "Cấp bản sao trích lục hộ tịch",
             "Đăng ký thường trú", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Đăng ký hộ kinh doanh",
             "Xác nhận tình trạng hôn nhân", "Đăng ký khai tử", "Chứng thực chữ ký", "Cấp phiếu lý lịch tư pháp",
             "Trợ cấp xã hội hằng tháng"]
    procedures = []
    for i in range(PROCEDURES):
        setup = f.procedure(code=f"1.{1001 + i:06d}", receiving=centres[:1], name=names[i],
                            time_value=str([1, 3, 5, 5, 7, 15, 3, 3, 1, 1, 10, 20][i]))
        ProcedureAgency.objects.bulk_create(
            ProcedureAgency(version=setup.version, agency=agency, role=AgencyRole.RECEIVING) for agency in centres[1:]
        )
        procedures.append(setup)
    submit_keys = [apikey_create(actor=None, agency=centres[i], roles=["reception"], name=f"Cổng {i}")[1]
                   for i in range(4)]
    queue_key = apikey_create(actor=None, agency=centres[0], roles=["unit_head"], name="Trưởng phòng")[1]
    return Province(agencies=centres, procedures=procedures, submit_keys=submit_keys, queue_key=queue_key,
                    file_ids={})


GENERATE = """
WITH base AS (
    SELECT g,
           -- agencies skewed: a few busy centres (ward of the capital), a long tail of small communes
           (floor(power(random(), 2.2) * %(agencies)s))::int AS ai,
           (floor(power(random(), 1.6) * %(procedures)s))::int AS pi,
           1 + floor(random() * 365)::int AS age,
           random() AS r_status, random() AS r_channel, random() AS r_minute
    FROM generate_series(%(first)s, %(last)s) AS g
), timed AS (
    SELECT b.*, a.id AS agency_id, a.code AS agency_code, p.procedure_id, p.version_id, p.step_id, p.step_role,
           -- a working day (weekends moved to Friday) between 07:30 and 17:00
           (date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') - make_interval(days => b.age)
            - make_interval(days => CASE extract(isodow FROM now() - make_interval(days => b.age))
                                     WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END)
            + make_interval(mins => 450 + floor(b.r_minute * 570)::int)) AT TIME ZONE 'Asia/Ho_Chi_Minh' AS at
    FROM base b JOIN bench_agency a ON a.i = b.ai JOIN bench_proc p ON p.i = b.pi
), numbered AS (
    SELECT t.*, row_number() OVER (PARTITION BY t.agency_id, (t.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                                   ORDER BY t.g) + %(seq_offset)s AS seq,
           CASE WHEN t.age > 30 THEN
                CASE WHEN t.r_status < 0.85 THEN 'returned' WHEN t.r_status < 0.88 THEN 'refused'
                     WHEN t.r_status < 0.89 THEN 'withdrawn' WHEN t.r_status < 0.90 THEN 'stopped'
                     ELSE 'resolved' END
           ELSE
                CASE WHEN t.r_status < 0.08 THEN 'submitted' WHEN t.r_status < 0.13 THEN 'received'
                     WHEN t.r_status < 0.63 THEN 'processing' WHEN t.r_status < 0.68 THEN 'supplement_requested'
                     WHEN t.r_status < 0.70 THEN 'payment_requested' WHEN t.r_status < 0.90 THEN 'resolved'
                     ELSE 'returned' END
           END AS status,
           CASE WHEN t.r_channel < 0.45 THEN 'online' WHEN t.r_channel < 0.95 THEN 'counter' ELSE 'post' END
               AS channel
    FROM timed t
)
INSERT INTO dossiers_dossier (
    code, procedure_id, procedure_version_id, regulation_id, receiving_agency_id, current_agency_id, channel,
    status, outcome, document_case, applicant_kind, applicant_name, applicant_id_number, applicant_tax_code,
    applicant_phone, applicant_email, applicant_address, applicant_birth_date, form_data, note, submitted_at,
    received_at, due_at, original_due_at, resolved_at, returned_at, closed_at, return_method, paused_since,
    paused_minutes, supplement_count, verdict, current_step_id, acting_role, step_due_at, version, search_text,
    created_at, updated_at)
SELECT
    n.agency_code || '-' || to_char(n.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || lpad(n.seq::text, 4, '0'),
    n.procedure_id, n.version_id, %(regulation)s, n.agency_id,
    CASE WHEN n.status IN ('refused', 'withdrawn', 'stopped', 'returned') THEN n.agency_id ELSE n.agency_id END,
    n.channel, n.status,
    CASE WHEN n.status IN ('resolved', 'returned') THEN 'approved' ELSE '' END, '', 'citizen',
    (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Vũ','Đặng','Bùi'])[1 + n.g %% 8] || ' ' ||
    (ARRAY['Văn','Thị','Minh','Thu','Đức','Ngọc'])[1 + n.g %% 6] || ' ' ||
    (ARRAY['An','Bình','Chi','Dũng','Hà','Hùng','Lan','Mai','Nam','Tuấn'])[1 + n.g %% 10],
    '0010' || lpad((n.g %% 100000000)::text, 8, '0'), '',
    '091' || lpad((n.g %% 10000000)::text, 7, '0'), '', 'Tỉnh Phú Thọ', NULL, '{}', '',
    n.at,
    CASE WHEN n.status = 'submitted' THEN NULL ELSE n.at + interval '20 minutes' END,
    CASE WHEN n.status IN ('submitted', 'refused') THEN NULL ELSE n.at + interval '7 days' END,
    CASE WHEN n.status IN ('submitted', 'refused') THEN NULL ELSE n.at + interval '7 days' END,
    CASE WHEN n.status IN ('resolved', 'returned') THEN n.at + make_interval(hours => 24 + (n.g %% 200)) END,
    CASE WHEN n.status = 'returned' THEN n.at + make_interval(hours => 30 + (n.g %% 200)) END,
    CASE WHEN n.status IN ('refused', 'withdrawn', 'stopped') THEN n.at + interval '1 day' END,
    CASE WHEN n.status = 'returned' THEN 'counter' ELSE '' END,
    CASE WHEN n.status IN ('supplement_requested', 'payment_requested') THEN n.at + interval '2 days' END,
    0, CASE WHEN n.status = 'supplement_requested' THEN 1 ELSE 0 END,
    CASE WHEN n.status IN ('resolved', 'returned') THEN
         CASE WHEN n.g %% 20 = 0 THEN 'late' WHEN n.g %% 3 = 0 THEN 'on_time' ELSE 'early' END ELSE '' END,
    CASE WHEN n.status IN ('received', 'processing', 'supplement_requested', 'payment_requested')
         THEN n.step_id END,
    CASE WHEN n.status IN ('submitted', 'resolved') THEN 'reception'
         WHEN n.status IN ('received', 'processing', 'supplement_requested', 'payment_requested') THEN n.step_role
         ELSE '' END,
    CASE WHEN n.status IN ('received', 'processing') THEN n.at + interval '1 day' END,
    3, lower(n.agency_code), n.at, n.at
FROM numbered n
"""

ACCESS = """
INSERT INTO dossiers_dossieraccess (dossier_id, agency_id, dossier_created_at)
SELECT d.id, d.receiving_agency_id, d.created_at FROM dossiers_dossier d WHERE d.id BETWEEN %(first_id)s AND %(last_id)s
"""

EVENTS = """
INSERT INTO dossiers_dossierevent (dossier_id, at, action, label, actor_label, status_from, status_to, note,
                                   is_public, data)
SELECT d.id, d.submitted_at + make_interval(mins => k * 20), e.action, e.label, '', e.status_from, e.status_to, '',
       true, '{}'
FROM dossiers_dossier d
CROSS JOIN LATERAL (VALUES
    (0, 'submit', 'Mới đăng ký', 'draft', 'submitted'),
    (1, 'receive', 'Được tiếp nhận', 'submitted', 'received'),
    (2, 'assign', 'Phân công xử lý', 'received', 'processing')) AS e(k, action, label, status_from, status_to)
WHERE d.id BETWEEN %(first_id)s AND %(last_id)s
"""


def generate(province: Province, *, first: int, last: int, seq_offset: int, events: bool) -> None:
    from django.db import connection, transaction

    from tinhso.dossiers.models import Dossier, Regulation

    regulation = Regulation.objects.get(code="nd118-2025").pk
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_agency, bench_proc")
        cursor.execute("CREATE TEMP TABLE bench_agency (i int, id bigint, code text)")
        cursor.executemany("INSERT INTO bench_agency VALUES (%s, %s, %s)",
                           [(i, a.pk, a.code) for i, a in enumerate(province.agencies)])
        cursor.execute("CREATE TEMP TABLE bench_proc (i int, procedure_id bigint, version_id bigint, step_id bigint, "
                       "step_role text)")
        rows = []
        for i, setup in enumerate(province.procedures):
            step = setup.version.process.steps.order_by("order").all()[1]  # appraisal, the specialist's step
            rows.append((i, setup.version.procedure_id, setup.version.pk, step.pk, step.role))
        cursor.executemany("INSERT INTO bench_proc VALUES (%s, %s, %s, %s, %s)", rows)
        with transaction.atomic():
            # Bulk load: skip the per-row foreign-key triggers (every id comes from the rows just
            # created). Needs a superuser; without one the load is only slower.
            cursor.execute("SAVEPOINT bulk")
            try:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("RELEASE SAVEPOINT bulk")
            except Exception:  # noqa: BLE001 - not a superuser
                cursor.execute("ROLLBACK TO SAVEPOINT bulk")
            top = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            cursor.execute(GENERATE, {"agencies": AGENCIES, "procedures": PROCEDURES, "first": first, "last": last,
                                      "seq_offset": seq_offset, "regulation": regulation})
            bounds = {"first_id": top + 1, "last_id": top + (last - first + 1)}
            cursor.execute(ACCESS, bounds)
            if events:
                cursor.execute(EVENTS, bounds)
        # As autovacuum leaves a table in steady state: statistics, and the visibility map that
        # index-only scans (the queue's count) rely on.
        cursor.execute("VACUUM (ANALYZE) dossiers_dossier")
        cursor.execute("VACUUM (ANALYZE) dossiers_dossierevent")
        cursor.execute("VACUUM (ANALYZE) dossiers_dossieraccess")


# --- the server and the load ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_start(env: dict, port: int) -> subprocess.Popen:
    """docs/deployment.md: ``gunicorn tinhso.config.wsgi:application --workers … --bind … --access-logfile -``."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "tinhso.config.wsgi:application", "--workers",
               str(WORKERS), "--bind", f"127.0.0.1:{port}", "--access-logfile", "-"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")


def gunicorn_stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds."""
        return percentile(self.latencies, p / 100) * 1000


def load(name: str, port: int, seconds: float, make_request, *, connections: int = CONNECTIONS,
         expect: int = 200) -> Result:
    """``connections`` threads, each sending ``make_request(thread_index) -> (method, path, body, headers)``
    back to back for ``seconds``; latency per request, non-``expect`` answers counted as errors."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.perf_counter() + seconds

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop_at:
            method, path, body, headers = make_request(index)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == expect
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            latencies[index].append(time.perf_counter() - started)
            if not ok:
                errors[index] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    flat = [value for chunk in latencies for value in chunk]
    return Result(name=name, requests=len(flat), errors=sum(errors), seconds=elapsed, latencies=flat)


def upload_files(port: int, key: str) -> list[str]:
    from tinhso.dossiers.tests import factories as f

    ids = []
    for name, content in (("to-khai.pdf", f.pdf_bytes()), ("cccd.png", f.png_bytes())):
        boundary = "tinhsobench"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/api/v1/files", body=body, headers={
            "Authorization": f"Bearer {key}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        payload = json.loads(response.read())
        if response.status != 201:
            raise RuntimeError(f"upload failed: {payload}")
        ids.append(payload["id"])
    return ids


def measure_front(port: int, province: Province, seconds: float, tracked: list[tuple[str, str]]) -> list[Result]:
    health = load("GET /api/v1/health", port, seconds, lambda i: ("GET", "/api/v1/health", None, {}))
    files = {key: upload_files(port, key) for key in province.submit_keys}
    bodies = {}
    for index, key in enumerate(province.submit_keys):
        form_id, card_id = files[key]
        bodies[key] = json.dumps({
            "procedure_code": province.procedures[index % PROCEDURES].code, "channel": "online",
            "agency": province.agencies[index].code,
            "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn Bình", "id_number": "001099012345",
                          "phone": "0912345678", "address": "Phường Việt Trì, tỉnh Phú Thọ"},
            "documents": [{"required_document": "to-khai", "file_ids": [form_id]},
                          {"required_document": "cccd", "file_ids": [card_id]}],
        }).encode()

    def submission(i: int):
        key = province.submit_keys[i % len(province.submit_keys)]
        return "POST", "/api/v1/dossiers", bodies[key], {"Authorization": f"Bearer {key}",
                                                          "Content-Type": "application/json"}

    submit = load("POST /api/v1/dossiers", port, seconds, submission, expect=201)
    rng = random.Random(7)

    def lookup(i: int):
        code, phone = tracked[rng.randrange(len(tracked))]
        return "GET", f"/api/v1/tracking/{code}?phone={phone}", None, {}

    track = load("GET /api/v1/tracking/{code}", port, seconds, lookup)
    return [health, submit, track]


def measure_queue(port: int, province: Province, seconds: float) -> list[Result]:
    health = load("GET /api/v1/health", port, seconds, lambda i: ("GET", "/api/v1/health", None, {}))
    headers = {"Authorization": f"Bearer {province.queue_key}"}
    queue = load("GET /api/v1/work-queue", port, seconds,
                 lambda i: ("GET", "/api/v1/work-queue?page_size=50", None, headers))
    reception = {"Authorization": f"Bearer {province.submit_keys[0]}"}
    listing = load("GET /api/v1/dossiers", port, seconds,
                   lambda i: ("GET", "/api/v1/dossiers?page_size=50", None, reception))
    return [health, queue, listing]


# --- report ---------------------------------------------------------------------------------------------


def rows_table(results: list[Result]) -> list[str]:
    base = results[0]
    lines = ["| request | requests | errors | per second | p50 | p99 | × baseline (p50) | ÷ baseline (per s) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for result in results:
        lines.append(
            f"| {result.name} | {result.requests} | {result.errors} | {result.per_second:.1f} | "
            f"{result.percentile(50):.1f} ms | {result.percentile(99):.1f} ms | "
            f"{result.percentile(50) / base.percentile(50):.1f} | {base.per_second / result.per_second:.1f} |"
        )
    return lines


def section(front: list[Result], queue: list[Result], *, dossiers: int, queue_dossiers: int, queue_rows: int,
            listed_rows: int, seconds: float, elapsed: float) -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    lines = [
        SECTION,
        "",
        f"{run_header('bench_dossiers.py', software=[f'Django {django.get_version()}', pg])} shared by server "
        f"and load generator. gunicorn as in docs/deployment.md (`tinhso.config.wsgi:application`, access log, psycopg "
        f"pool), {WORKERS} sync workers on the loopback; {CONNECTIONS} client threads (`http.client`), "
        f"{seconds:.0f} s per request kind; the whole run took {elapsed:.0f} s; load average "
        f"{os.getloadavg()[0]:.1f} at the end (other processes share the machine: compare the ratios, not the "
        "milliseconds).",
        "",
        f"**Submission and tracking, {thousands(dossiers)} dossiers** (one year, {AGENCIES} centres, "
        f"{PROCEDURES} procedures, 3 public timeline rows each):",
        "",
        *rows_table(front),
        "",
        "Submission = an integrator's online dossier through its API key (4 agencies): validation of the "
        "applicant and the two components, the code from the agency's daily counter, the reception handover "
        "row, timeline, audit entry and outbox event, in one transaction. Tracking = code + phone of a random "
        "existing dossier, rate limiter on (limit raised for the run), status and public timeline.",
        "",
        f"**Work queue and list, {thousands(queue_dossiers)} dossiers**: the work queue of the busiest centre's "
        f"unit head ({thousands(queue_rows)} dossiers in it; first page of 50 with the count, flags computed from "
        f"the due dates) and that centre's dossier list for its reception desk ({thousands(listed_rows)} "
        "dossiers; newest 50 with the count, identifiers masked):",
        "",
        *rows_table(queue),
        "",
        "× baseline (p50): how many health checks one request costs in latency; ÷ baseline (per s): how many "
        "health checks the server answers in the time of one such request. Latencies include queueing for "
        f"the {WORKERS} workers ({CONNECTIONS} connections).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--queue-dossiers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="load duration per request kind")
    parser.add_argument("--pg", default=default_pg_url(),
                        help="PostgreSQL server URL, with or without a database name, of a role that may CREATE "
                             "DATABASE (default: TINHSO_BENCH_PG, else TINHSO_DATABASE_URL when it is PostgreSQL, "
                             "else postgresql://postgres@127.0.0.1:5432)")
    no_write_argument(parser)
    args = parser.parse_args()
    # A SIGTERM (timeout, Ctrl-C from a supervisor) still stops gunicorn and drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    name = f"tinhso_bench_dossiers_{os.getpid()}"
    database_url = pg_database(args.pg, name)
    admin_sql(args.pg, f"CREATE DATABASE {name}")
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="tinhso-bench-dossiers-") as data_dir:
            log(f"database {name}: migrating")
            django_setup(database_url=database_url, data_dir=data_dir)
            province = seed()
            log(f"generating {args.dossiers} dossiers")
            generate(province, first=1, last=args.dossiers, seq_offset=0, events=True)
            from tinhso.dossiers.models import Dossier

            tracked = list(Dossier.objects.order_by("?").values_list("code", "applicant_phone")[:2000])
            env = {**os.environ, "TINHSO_DATABASE_POOL": "true", "TINHSO_DEBUG": "false",
                   "TINHSO_SECRET_KEY": "bench-secret-key-" + "x" * 40, "TINHSO_TRACKING_RATE_LIMIT": "100000000",
                   "TINHSO_ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT / "src")}
            port = free_port()
            from django.db import connections

            connections.close_all()
            server = gunicorn_start(env, port)
            log("measuring health, submission, tracking")
            front = measure_front(port, province, args.seconds, tracked)
            gunicorn_stop(server)
            server = None
            extra = max(0, args.queue_dossiers - Dossier.objects.count())
            log(f"generating {extra} more dossiers")
            if extra:
                generate(province, first=args.dossiers + 1, last=args.dossiers + extra, seq_offset=1000, events=False)
            total = Dossier.objects.count()
            queue_rows = Dossier.objects.filter(current_agency=province.agencies[0]).exclude(acting_role="").count()
            listed_rows = Dossier.objects.filter(receiving_agency=province.agencies[0]).count()
            connections.close_all()
            server = gunicorn_start(env, port)
            log("measuring health, work queue, list")
            queue = measure_queue(port, province, args.seconds)
            gunicorn_stop(server)
            server = None
            text = section(front, queue, dossiers=args.dossiers, queue_dossiers=total, queue_rows=queue_rows,
                           listed_rows=listed_rows, seconds=args.seconds, elapsed=time.perf_counter() - started)
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
