import pytest

from tinhso.catalog.search import vocabulary_reset
from tinhso.catalog.tests.factories import SEARCH_SET, import_records


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    # Test transactions roll the vocabulary table back and SQLite reuses its ids; never let one
    # test's cached words answer for another.
    vocabulary_reset()
    yield
    vocabulary_reset()


@pytest.fixture
def catalog_admin(db):
    from tinhso.accounts.tests.factories import UserFactory

    return UserFactory(username="quantri.danhmuc", is_superuser=True, is_staff=True)


@pytest.fixture
def agencies(db):
    """A commune UBND (competent) and its service centre (receiving), as in the demo province."""
    from tinhso.org.tests.factories import AgencyFactory

    return {
        "ubnd": AgencyFactory(code="H44.101", name="Ủy ban nhân dân phường Việt Trì", level="commune",
                              kind="people_committee"),
        "centre": AgencyFactory(code="H44.101.01", name="Trung tâm Phục vụ hành chính công phường Việt Trì",
                                level="commune", kind="service_center"),
        "police": AgencyFactory(code="H44.07", name="Công an tỉnh", level="province", kind="police"),
    }


@pytest.fixture
def search_set(db, agencies):
    report = import_records(SEARCH_SET)
    assert not report.rejected, report.rejected
    return report
