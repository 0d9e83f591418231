"""The ``tinhso`` console command: Django's manage.py under the project's own name.

``tinhso migrate``, ``tinhso demo load``, ``tinhso audit verify``, ``tinhso apikey create …`` and
every other management command run through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tinhso", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
