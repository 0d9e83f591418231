from tinhso.portal.tests.fixtures import (  # noqa: F401 - fixtures shared with the portal tests
    _isolated,
    fast_keys,
    site,
    site_pki,
)
