"""Generate ``wards-2025.json`` (the 3,321 communes, wards and special zones since 01/07/2025).

Run ONCE, by a developer, from a throw-away virtual environment; Tỉnh Số never imports the package
(stack-notes §8: ship the generated data, keep no runtime dependency on it)::

    python3 -m venv /tmp/vnprov
    /tmp/vnprov/bin/pip install vietnam-provinces==2025.10.1
    /tmp/vnprov/bin/python src/tinhso/org/data/generate_wards.py > src/tinhso/org/data/wards-2025.json

The script cross-checks every province against ``provinces-2025.json`` (same GSO code for the same
name) and stops if they disagree, so the two files cannot drift apart silently.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from importlib import metadata, resources
from pathlib import Path

PACKAGE = "vietnam-provinces"
VERSION = "2025.10.1"
KINDS = {"xã": "commune", "phường": "ward", "đặc khu": "special_zone"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def main() -> int:
    installed = metadata.version(PACKAGE)
    if installed != VERSION:
        print(f"expected {PACKAGE}=={VERSION}, found {installed}", file=sys.stderr)
        return 1
    source = resources.files("vietnam_provinces") / "data" / "nested-divisions.json"
    provinces = json.loads(source.read_text(encoding="utf-8"))
    ours = json.loads((Path(__file__).with_name("provinces-2025.json")).read_text(encoding="utf-8"))
    by_code = {p["admin_code"]: p for p in ours["provinces"]}

    rows: list[dict] = []
    for province in sorted(provinces, key=lambda p: p["code"]):
        code = f"{province['code']:02d}"
        short = nfc(province["name"]).removeprefix("Thành phố ").strip()
        if code not in by_code or by_code[code]["name"] != short:
            print(f"province {code} {short!r} does not match provinces-2025.json", file=sys.stderr)
            return 1
        for ward in sorted(province["wards"], key=lambda w: w["code"]):
            rows.append(
                {
                    "code": f"{ward['code']:05d}",
                    "name": nfc(ward["name"]),
                    "kind": KINDS[ward["division_type"]],
                    "province": code,
                }
            )

    header = {
        "schema": "wards-2025/v1",
        "valid_from": "2025-07-01",
        "count": len(rows),
        "source": {
            "package": f"{PACKAGE}=={VERSION}",
            "file": "vietnam_provinces/data/nested-divisions.json",
            "origin": "GSO (Tổng cục Thống kê) list of administrative units after 01/07/2025, as packaged",
            "generated_by": "src/tinhso/org/data/generate_wards.py",
        },
    }
    # One unit per line keeps review diffs readable when the list is regenerated.
    out = sys.stdout
    out.write(json.dumps(header, ensure_ascii=False, indent=2)[:-2])
    out.write(',\n  "units": [\n')
    out.write(",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in rows))
    out.write("\n  ]\n}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
