from tinhso.web.tests.fixtures import (  # noqa: F401 - fixtures shared with the portal tests
    fast_keys,
    site,
    site_pki,
)
