from tinhso.portal.tests.fixtures import _isolated, site  # noqa: F401 - fixtures shared with the portal tests
