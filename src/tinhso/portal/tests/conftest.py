from tinhso.web.tests.fixtures import (  # noqa: F401 - fixtures for this package
    fast_keys,
    site,
    site_pki,
)
