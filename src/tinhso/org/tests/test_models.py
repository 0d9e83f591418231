import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tinhso.core.errors import ValidationFailed
from tinhso.org.models import AdministrativeUnit, Agency
from tinhso.org.services import agency_ensure
from tinhso.org.tests.factories import AdministrativeUnitFactory, AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["H44", "H44.02", "H44.101.01", "000.00.00.H44", "G09.20"])
def test_agency_accepts_qd20_and_qcvn102_codes(code):
    agency = Agency(code=code, name="Cơ quan", level=Agency.Level.PROVINCE)
    agency.full_clean()


@pytest.mark.parametrize("code", ["44", "H4", "H44..01", "h44-01", "H44.01.", "H" + "4" * 40])
def test_agency_rejects_malformed_codes(code):
    agency = Agency(code=code, name="Cơ quan", level=Agency.Level.PROVINCE)
    with pytest.raises(ValidationError) as info:
        agency.full_clean()
    assert "code" in info.value.message_dict


def test_agency_service_normalises_and_validates_code():
    agency, created = agency_ensure(actor=None, code=" h44.05 ", name="Sở Nội vụ", level="province")
    assert created and agency.code == "H44.05"
    with pytest.raises(ValidationFailed) as info:
        agency_ensure(actor=None, code="SO-NOI-VU", name="Sở Nội vụ", level="province")
    assert info.value.code == "invalid_agency_code"


def test_agency_search_text_is_folded_on_save():
    agency = AgencyFactory(name="Sở Nông nghiệp và Môi trường", short_name="Sở NN&MT")
    assert "so nong nghiep va moi truong" in agency.search_text


def test_a_unit_code_can_be_reused_after_the_old_unit_ended():
    AdministrativeUnitFactory(code="25", name="Tỉnh Phú Thọ", kind="province", valid_to=dt.date(2025, 6, 30))
    AdministrativeUnitFactory(code="25", name="Tỉnh Phú Thọ", kind="province", valid_from=dt.date(2025, 7, 1))
    assert AdministrativeUnit.objects.filter(code="25").count() == 2


def test_two_current_units_cannot_share_a_code():
    AdministrativeUnitFactory(code="07900")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnitFactory(code="07900")
