"""Event handlers of the one-stop shop, registered on import (``CoreConfig.ready`` imports every app's
``handlers`` module; docs/events.md). The applicant's notifications live in ``dossiers.notify``."""

from tinhso.dossiers import notify  # noqa: F401  (registers "dossiers.notify_applicant")
