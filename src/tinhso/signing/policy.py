"""What the system may sign by itself: the automatic agency seal (ký số tự động).

A person signs with their own certificate, and the văn thư or a leader applies the agency's seal
(vn-standards §7.5). The one exception is paperwork the system itself issues on an officer's
decision — the one-stop shop's receipt, supplement request, refusal and apology sent electronically
carry "Chữ ký số của Tổ chức" (vn-standards §4.1) — which one-stop shops seal automatically. Each such
use is registered here by the app that needs it, by name; ``pdf_sign_system`` refuses any other.
The registry is code, not configuration, so widening it is a reviewed change.
"""

from __future__ import annotations

_PURPOSES: dict[str, str] = {}


def automatic_seal_register(*, purpose: str, label: str) -> None:
    """Allow the system to seal documents of ``purpose`` (e.g. ``dossier_form.receipt``) on its own."""
    if not purpose or _PURPOSES.get(purpose, label) != label:
        raise ValueError(f"automatic seal purpose {purpose!r} is empty or registered with another label")
    _PURPOSES[purpose] = label


def automatic_seal_label(purpose: str) -> str | None:
    """The label of a registered purpose, ``None`` when the system may not seal for it."""
    return _PURPOSES.get(purpose)


def automatic_seal_purposes() -> dict[str, str]:
    return dict(_PURPOSES)
