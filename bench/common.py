"""What every benchmark script shares: percentiles, the run's header line, Django and PostgreSQL set-up,
and rewriting its own section of ``docs/benchmarks.md`` (DESIGN §7).

The scripts import it as ``from common import …``: Python puts a script's own folder on ``sys.path``,
so it works from any working directory without making ``bench/`` a package.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
INTRO = """# Benchmarks

Speed and memory measured by the scripts in `bench/`, against generated data of realistic size. Each
result is reported next to a baseline measured in the same run on the same machine (DESIGN §7), so
the ratios stay comparable between machines where absolute numbers do not. These are measurements,
not timed tests: re-run the script to refresh its section.
"""


def log(message: str, *, stream=None) -> None:
    """A timestamped progress line (stderr for scripts whose stdout carries data)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=stream or sys.stdout, flush=True)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: ``share`` 0.5 is the median, 0.99 the p99."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def run_header(script: str, *, software: Iterable[str] = ()) -> str:
    """"`bench/<script>`, date, Python …, [software,] machine, N CPU": what a reader needs to compare runs."""
    parts = [f"`bench/{script}`", time.strftime("%d/%m/%Y"), f"Python {platform.python_version()}", *software,
             platform.machine(), f"{os.cpu_count()} CPU"]
    return ", ".join(parts)


def thousands(number: int) -> str:
    """1234567 → "1.234.567" (Vietnamese grouping, as in the rest of the docs)."""
    return f"{number:,}".replace(",", ".")


def django_setup(*, database_url: str, data_dir: str, migrate: bool = True) -> None:
    """Point Tỉnh Số at a throw-away database and data directory, start Django, migrate."""
    os.environ.update({"TINHSO_DATABASE_URL": database_url, "TINHSO_DATA_DIR": data_dir})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.config.settings")
    os.environ.setdefault("TINHSO_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)


def pg_database(url: str, name: str) -> str:
    """``url`` (a server, with or without a database name) pointed at database ``name``."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin_sql(url: str, statement: str) -> None:
    """Run ``statement`` (CREATE/DROP DATABASE) on the server of ``url``, outside any transaction."""
    import psycopg

    with psycopg.connect(pg_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def no_write_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")


def section_write(title: str, text: str) -> None:
    """Replace the section headed ``title`` in docs/benchmarks.md with ``text`` (or append it)."""
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else INTRO
    if title in current:
        start = current.index(title)
        following = current.find("\n## ", start + len(title))
        current = current[:start] + text + (current[following + 1:] if following != -1 else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    DOC.write_text(current.rstrip("\n") + "\n", encoding="utf-8")


def report(title: str, text: str, *, no_write: bool) -> None:
    """Print the section; write it into docs/benchmarks.md unless ``--no-write``."""
    print(text)
    if not no_write:
        section_write(title, text)
        print(f"→ {DOC.relative_to(ROOT)}")
