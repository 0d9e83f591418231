"""``make bench``: every benchmark in turn; each rewrites its own section of docs/benchmarks.md.

The one-stop-shop and search benchmarks need PostgreSQL: set ``TINHSO_DATABASE_URL`` to a server the
scripts may create databases on (they create and drop their own), e.g.
``TINHSO_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres make bench``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ["bench_catalog_search.py", "bench_signing.py", "bench_dossiers.py", "bench_petitions.py",
           "bench_reports.py", "bench_exchange.py",
           "bench_documents.py"]


def main() -> int:
    if not os.environ.get("TINHSO_DATABASE_URL", "").startswith("postgres"):
        print("Cảnh báo: TINHSO_DATABASE_URL chưa trỏ tới PostgreSQL; các phép đo cần PostgreSQL sẽ bỏ qua phần đó.")
    failed = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        if subprocess.run([sys.executable, str(BENCH / script)], check=False).returncode:  # noqa: S603
            failed.append(script)
    if failed:
        print("Lỗi:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
