"""The demo province (``tinhso demo load`` / ``tinhso demo logins``).

The registry is in ``registry.py``; the province itself (Phú Thọ: agencies, staff, applicants) is
defined in ``province.py``. Other apps add their own demo data by registering loaders in a
``demo.py`` module of their own (see docs/demo.md).
"""

from tinhso.org.demo import province  # noqa: F401 - registers the province loaders
from tinhso.org.demo.registry import (
    DemoContext,
    DemoLoader,
    DemoLogin,
    demo_load,
    demo_loader,
    demo_loaders,
    demo_logins,
)

__all__ = ["DemoContext", "DemoLoader", "DemoLogin", "demo_load", "demo_loader", "demo_loaders", "demo_logins"]
