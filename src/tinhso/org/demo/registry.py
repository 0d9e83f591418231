"""Registry of demo loaders: each app contributes its slice of the demo province.

An app registers a loader in its own ``demo.py`` module (found by ``autodiscover_modules``, as the
admin finds ``admin.py``)::

    from tinhso.org.demo import DemoContext, demo_loader

    @demo_loader("catalog.procedures", order=100)
    def load_procedures(ctx: DemoContext) -> None:
        ...  # idempotent: create what is missing, change nothing that is already right

Loaders run in ascending ``order`` (then name), each in its own transaction. Convention: org and
accounts use 10–49, catalogue 100–199, one-stop shop 200–299, documents 300–399, the rest 400+.
A loader may also declare ``logins`` (rows for ``tinhso demo logins``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

# One password for every demo account, printed by `tinhso demo logins`. Demo data only.
DEMO_PASSWORD = "TinhSo@2026"  # noqa: S105 - published on purpose for the demo


@dataclass
class DemoContext:
    """What loaders share: the password, a logger, and what earlier loaders created (``objects``)."""

    password: str = DEMO_PASSWORD
    log: Callable[[str], None] = lambda message: None
    objects: dict[str, object] = field(default_factory=dict)

    @cached_property
    def password_hash(self) -> str:
        # Hashed once and shared: one slow hash instead of one per account (demo only).
        return make_password(self.password)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    agency: str


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    load: Callable[[DemoContext], None]
    logins: Callable[[], list[DemoLogin]] | None = None


_LOADERS: dict[str, DemoLoader] = {}


def demo_loader(name: str, *, order: int = 500, logins: Callable[[], list[DemoLogin]] | None = None):
    """Decorator registering ``load(ctx)`` under ``name`` (re-registering a name replaces it)."""

    def register(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _LOADERS[name] = DemoLoader(name=name, order=order, load=func, logins=logins)
        return func

    return register


def demo_loaders() -> list[DemoLoader]:
    """Every registered loader, in the order they run."""
    autodiscover_modules("demo")
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.name))


def demo_load(*, ctx: DemoContext | None = None, only: list[str] | None = None) -> DemoContext:
    """Run the loaders (all, or those named in ``only``). Safe to run again: loaders are idempotent."""
    ctx = ctx or DemoContext()
    for loader in demo_loaders():
        if only and loader.name not in only:
            continue
        ctx.log(f"• {loader.name}")
        with transaction.atomic():
            loader.load(ctx)
    return ctx


def demo_logins() -> list[DemoLogin]:
    rows: list[DemoLogin] = []
    for loader in demo_loaders():
        if loader.logins is not None:
            rows.extend(loader.logins())
    return rows
