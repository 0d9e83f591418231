"""Benchmark of the public side of the feedback (issue #13): the list of published answers and the counters.

    .venv/bin/python bench/bench_petitions.py [--petitions 1000000] [--seconds 8]
                                              [--pg postgresql://postgres@127.0.0.1:5432] [--no-write]

1. creates a throw-away PostgreSQL database, migrates it (the partial trigram index of
   ``petitions/migrations/0002``), loads a province with 30 communes' People's Committees and 6 sectors;
2. generates ``--petitions`` petitions in SQL over two years (agencies skewed; about 55 % published,
   13 % answered, 7 % refused, the rest in progress), subjects, contents and answers drawn from
   Vietnamese sentences with their folded copy as the app stores it;
3. starts gunicorn as docs/deployment.md tells (2 workers on the loopback) and measures against
   ``GET /api/v1/health`` in the same run: the public list (first page; a page further on; a search
   without diacritics; an agency filter) and the counters (province; one agency);
4. stops gunicorn, drops the database, writes docs/benchmarks.md ("Phản ánh, kiến nghị: …").
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

SECTION = "## Phản ánh, kiến nghị: danh sách công khai và bộ đếm"
AGENCIES = 30
SUBJECTS = [
    "Bị yêu cầu nộp giấy xác nhận cư trú khi đăng ký khai sinh", "Đường liên thôn xuống cấp, nhiều ổ gà",
    "Chậm trả kết quả cấp giấy chứng nhận quyền sử dụng đất", "Cán bộ tiếp nhận hồ sơ thiếu hướng dẫn",
    "Rác thải sinh hoạt không được thu gom đúng lịch", "Đèn chiếu sáng công cộng hỏng kéo dài",
    "Phí chứng thực thu cao hơn quy định", "Hướng dẫn thủ tục đăng ký hộ kinh doanh chưa rõ",
    "Ngập úng khu dân cư sau mưa lớn", "Lấn chiếm vỉa hè để kinh doanh", "Tiếng ồn từ xưởng sản xuất ban đêm",
    "Trợ cấp xã hội hằng tháng chưa được chi trả", "Cổng dịch vụ công không tải được tệp đính kèm",
    "Xây dựng không phép trên đất nông nghiệp", "Thời gian chờ tại Bộ phận Một cửa quá lâu",
]
CONTENTS = [
    "Tôi đã nộp hồ sơ đầy đủ theo quy định nhưng được yêu cầu bổ sung thêm giấy tờ không có trong danh mục.",
    "Tình trạng này kéo dài nhiều tháng, ảnh hưởng đến việc đi lại của người dân, đề nghị cơ quan chức năng "
    "xem xét xử lý.", "Đề nghị cơ quan có thẩm quyền kiểm tra, trả lời và công khai kết quả xử lý.",
    "Người dân trong khu phố đã nhiều lần phản ánh tại cuộc họp tổ dân phố nhưng chưa được giải quyết.",
    "Tôi đề nghị được hướng dẫn cụ thể về thành phần hồ sơ, thời hạn giải quyết và phí, lệ phí.",
]
ANSWERS = [
    "Qua kiểm tra, nội dung phản ánh là đúng; cơ quan đã chấn chỉnh và hướng dẫn người dân thực hiện.",
    "Theo quy định hiện hành, thành phần hồ sơ gồm tờ khai và giấy tờ tùy thân; không yêu cầu giấy tờ khác.",
    "Ủy ban nhân dân đã giao đơn vị chuyên môn khắc phục trong tháng này và sẽ thông báo kết quả.",
    "Nội dung phản ánh chưa đúng; cơ quan đã giải thích để người dân nắm rõ quy định.",
]
SEARCHES = ["giay xac nhan cu tru", "duong lien thon", "chung thuc", "ho kinh doanh", "ngap ung", "tro cap xa hoi",
            "Một cửa", "đèn chiếu sáng"]


def seed():
    from django.conf import settings

    from tinhso.catalog.models import Sector
    from tinhso.org.models import Agency
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh Phú Thọ")
    workdays_seed(calendar=calendar, years=range(2024, 2028))
    province = Agency.objects.create(code=settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Phú Thọ",
                                     level="province", kind="people_committee", work_calendar=calendar)
    communes = [Agency.objects.create(code=f"H44.{201 + i}", name=f"Ủy ban nhân dân xã số {i + 1}", level="commune",
                                      kind="people_committee", parent=province) for i in range(AGENCIES)]
    sectors = [Sector.objects.create(code=f"LV{i:02d}", name=name) for i, name in enumerate(
        ["Hộ tịch", "Đất đai", "Xây dựng", "Môi trường", "Giao thông", "Lao động, thương binh và xã hội"])]
    return [province, *communes], sectors


GENERATE = """
WITH base AS (
    SELECT g, (floor(power(random(), 2.0) * %(agencies)s))::int AS ai, floor(random() * %(sectors)s)::int AS si,
           floor(random() * %(subjects)s)::int + 1 AS s, floor(random() * %(contents)s)::int + 1 AS c,
           floor(random() * %(answers)s)::int + 1 AS a, random() AS r, random() * 730 AS age_days
    FROM generate_series(%(first)s, %(last)s) AS g
), shaped AS (
    SELECT b.*, now() - make_interval(secs => b.age_days * 86400) AS at,
           CASE WHEN b.age_days < 20 THEN
                (ARRAY['pending','accepted','assigned','drafted','info_requested','answered'])[1 + (b.g %% 6)]
                WHEN b.r < 0.55 THEN 'published' WHEN b.r < 0.68 THEN 'answered' WHEN b.r < 0.75 THEN 'refused'
                ELSE (ARRAY['pending','accepted','assigned','drafted'])[1 + (b.g %% 4)] END AS status
    FROM base b
)
INSERT INTO petitions_petition (
    code, kind, channel, status, subject, content, sender_name, sender_phone, sender_email, sender_address,
    phone_verified, publish_consent, is_personal, sector_id, agency_id, received_at, clock_started_at,
    refuse_due_at, info_due_at, due_at, paused_at, paused_minutes, info_requested_count, info_question,
    info_answer, status_before_pause, answer, answered_at, answered_by_agency_id, publish_due_at, published_at,
    refusal_reason, refused_at, feedback, objection, reopened_count, version, search_text, created_at)
SELECT
    'PAKN-' || to_char(x.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || lpad(x.g::text, 7, '0'),
    (ARRAY['regulation','regulation','conduct','other'])[1 + (x.g %% 4)],
    (ARRAY['portal','portal','portal','hotline','in_person'])[1 + (x.g %% 5)],
    x.status, (%(subject)s::text[])[x.s], (%(content)s::text[])[x.c],
    (ARRAY['Nguyễn Văn An','Trần Thị Bình','Lê Minh Chi','Phạm Đức Dũng'])[1 + (x.g %% 4)],
    '091' || lpad((x.g %% 10000000)::text, 7, '0'), '', '', true, true, false,
    (%(sector_ids)s::bigint[])[x.si + 1], (%(agency_ids)s::bigint[])[x.ai + 1],
    x.at, x.at, x.at + interval '2 days', x.at + interval '7 days', x.at + interval '21 days',
    CASE WHEN x.status = 'info_requested' THEN x.at + interval '1 day' END, 0,
    CASE WHEN x.status = 'info_requested' THEN 1 ELSE 0 END, '', '', '',
    CASE WHEN x.status IN ('drafted','answered','published') THEN (%(answer)s::text[])[x.a] ELSE '' END,
    CASE WHEN x.status IN ('answered','published') THEN x.at + interval '10 days' END,
    CASE WHEN x.status IN ('answered','published') THEN (%(agency_ids)s::bigint[])[x.ai + 1] END,
    CASE WHEN x.status IN ('answered','published') THEN x.at + interval '12 days' END,
    CASE WHEN x.status = 'published' THEN x.at + interval '11 days' END,
    CASE WHEN x.status = 'refused' THEN 'Nội dung không thuộc phạm vi phản ánh, kiến nghị.' ELSE '' END,
    CASE WHEN x.status = 'refused' THEN x.at + interval '1 day' END, '', '', 0, 3,
    lower('pakn-' || to_char(x.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || lpad(x.g::text, 7, '0'))
        || ' ' || (%(subject_folded)s::text[])[x.s] || ' ' || (%(content_folded)s::text[])[x.c]
        || CASE WHEN x.status IN ('drafted','answered','published') THEN ' ' || (%(answer_folded)s::text[])[x.a]
                ELSE '' END,
    x.at
FROM shaped x
"""


def generate(agencies, sectors, total: int) -> None:
    from django.db import connection, transaction

    from tinhso.core.text import fold

    params = {"agencies": len(agencies), "sectors": len(sectors), "subjects": len(SUBJECTS),
              "contents": len(CONTENTS), "answers": len(ANSWERS), "subject": SUBJECTS, "content": CONTENTS,
              "answer": ANSWERS, "subject_folded": [fold(s) for s in SUBJECTS],
              "content_folded": [fold(s) for s in CONTENTS], "answer_folded": [fold(s) for s in ANSWERS],
              "agency_ids": [a.pk for a in agencies], "sector_ids": [s.pk for s in sectors]}
    step = 250_000
    with connection.cursor() as cursor:
        for first in range(1, total + 1, step):
            with transaction.atomic():
                cursor.execute(GENERATE, {**params, "first": first, "last": min(total, first + step - 1)})
            log(f"  {min(total, first + step - 1)} petitions")
        cursor.execute("VACUUM (ANALYZE) petitions_petition")
    from tinhso.petitions.services import petition_tallies_rebuild

    petition_tallies_rebuild()  # what `tinhso petitions recount` does after a bulk load


def measure(port: int, seconds: float, agency_code: str) -> list:
    rng = random.Random(13)
    results = [load("GET /api/v1/health", port, seconds, lambda i: ("GET", "/api/v1/health", None, {}))]
    results.append(load("GET /api/v1/petitions/public", port, seconds,
                        lambda i: ("GET", "/api/v1/petitions/public", None, {})))
    results.append(load("GET /api/v1/petitions/public?page=50", port, seconds,
                        lambda i: ("GET", "/api/v1/petitions/public?page=50", None, {})))

    def search(i: int):
        from urllib.parse import quote

        return "GET", f"/api/v1/petitions/public?q={quote(rng.choice(SEARCHES))}", None, {}

    results.append(load("GET /api/v1/petitions/public?q=…", port, seconds, search))
    results.append(load("GET /api/v1/petitions/public?agency=…", port, seconds,
                        lambda i: ("GET", f"/api/v1/petitions/public?agency={agency_code}", None, {})))
    results.append(load("GET /api/v1/petitions/counters", port, seconds,
                        lambda i: ("GET", "/api/v1/petitions/counters", None, {})))
    results.append(load("GET /api/v1/petitions/counters?agency=…", port, seconds,
                        lambda i: ("GET", f"/api/v1/petitions/counters?agency={agency_code}", None, {})))
    return results


def section(results, *, petitions: int, published: int, agency_rows: int, seconds: float, elapsed: float) -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    return "\n".join([
        SECTION,
        "",
        f"{run_header('bench_petitions.py', software=[f'Django {django.get_version()}', pg])} shared by server and "
        f"load generator. gunicorn as in docs/deployment.md, {WORKERS} sync workers on the loopback; {CONNECTIONS} "
        f"client threads, {seconds:.0f} s per request kind; the whole run took {elapsed:.0f} s; load average "
        f"{os.getloadavg()[0]:.1f} at the end (compare the ratios, not the milliseconds).",
        "",
        f"**{thousands(petitions)} petitions** over two years, {AGENCIES + 1} agencies (skewed), "
        f"{thousands(published)} published; the agency filtered on holds {thousands(agency_rows)} petitions:",
        "",
        *rows_table(results),
        "",
        "Public list = published questions and answers, newest first, 20 a page (no sender column is read); its "
        "total (whole list, one agency) is the sum of the published tallies; `q` = a search of 1–4 words with or "
        "without diacritics (folded `search_text`, the partial GIN trigram index of published rows), matches "
        "counted up to 1.000; counters = \"đã trả lời / đang xử lý / từ chối xử lý\" summed from the "
        "`PetitionTally` rows kept in the transaction of every status change (province, one agency). The "
        "generated text has a small vocabulary, so each search matches tens of thousands of answers: a harder "
        "case than real questions.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--pg", default=default_pg_url())
    no_write_argument(parser)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    name = f"tinhso_bench_petitions_{os.getpid()}"
    admin_sql(args.pg, f"CREATE DATABASE {name}")
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="tinhso-bench-petitions-") as data_dir:
            log(f"database {name}: migrating")
            django_setup(database_url=pg_database(args.pg, name), data_dir=data_dir)
            agencies, sectors = seed()
            log(f"generating {args.petitions} petitions")
            generate(agencies, sectors, args.petitions)
            from django.db import connections

            from tinhso.petitions.models import Petition

            published = Petition.objects.filter(status="published").count()
            agency = agencies[1]
            agency_rows = Petition.objects.filter(agency=agency).count()
            env = {**os.environ, "TINHSO_DATABASE_POOL": "true", "TINHSO_DEBUG": "false",
                   "TINHSO_SECRET_KEY": "bench-secret-key-" + "x" * 40, "TINHSO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                   "PYTHONPATH": str(ROOT / "src")}
            connections.close_all()
            port = free_port()
            server = gunicorn_start(env, port)
            log("measuring health, public list, counters")
            results = measure(port, args.seconds, agency.code)
            gunicorn_stop(server)
            server = None
            text = section(results, petitions=args.petitions, published=published, agency_rows=agency_rows,
                           seconds=args.seconds, elapsed=time.perf_counter() - started)
            connections.close_all()
    finally:
        if server is not None:
            gunicorn_stop(server)
        if "tinhso.config.settings" in sys.modules:
            from django.db import connections

            connections.close_all()
        admin_sql(args.pg, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        log(f"database {name} dropped")
    report(SECTION, text, no_write=args.no_write)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
