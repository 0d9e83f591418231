"""`make check` (run by .ci/run) fails on an upward import and on a type error in the domain packages.

Each test copies the Python sources into a temporary directory, breaks the copy on purpose and runs
the same command, with the project's own pyproject.toml, that `make check` runs on the real tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent


def _copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "tinhso", tmp_path / "src" / "tinhso",
                    ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "static", "templates", "locale", "fonts",
                                                  "data", "*.json", "*.jsonl", "*.html", "*.css", "*.mo", "*.po"))
    return tmp_path


def _run(tmp_path: Path, *command: str) -> subprocess.CompletedProcess:
    # The copy comes first on the path, so the tools analyse it and not the installed package.
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


def test_the_tree_keeps_every_import_contract(tmp_path):
    result = _run(_copy(tmp_path), "lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    # a catalogue module reaching up into the citizen pages
    ("catalog/search.py", "from tinhso.portal import views as _portal_views  # noqa", "tinhso.catalog is not allowed to import tinhso.portal"),
    # org importing accounts: the cycle the layers broke
    ("org/places.py", "from tinhso.accounts import models as _accounts  # noqa", "tinhso.org is not allowed to import tinhso.accounts"),
    # the staff pages importing the citizen pages instead of the shared web package
    ("backoffice/access.py", "from tinhso.portal import labels as _labels  # noqa", "tinhso.backoffice is not allowed to import tinhso.portal"),
    # a dossier service importing the printing package: the other cycle
    ("dossiers/services/sweep.py", "from tinhso.dossiers import printing as _printing  # noqa", "tinhso.dossiers.services is not allowed to import tinhso.dossiers.printing"),
])
def test_an_upward_import_breaks_the_check(tmp_path, module, line, broken):
    copy = _copy(tmp_path)
    _append(copy / "src" / "tinhso" / module, line)
    result = _run(copy, "lint-imports", "--no-cache")
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout


def test_a_type_error_in_a_domain_package_breaks_the_check(tmp_path):
    copy = _copy(tmp_path)
    # A service called with an argument of the wrong type: what mypy is there to catch.
    _append(copy / "src" / "tinhso" / "workdays" / "calculator.py",
            "def _broken() -> datetime:\n    return to_local(\"08:00 05/01/2026\")")
    result = _run(copy, "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), "src/tinhso/workdays")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "src/tinhso/workdays/calculator.py" in result.stdout
    assert "error:" in result.stdout
