"""The demo catalogue loaded by `make run`: every province/commune procedure, complete common ones."""

import pytest

from tinhso.catalog.models import Procedure, ProcedureVersion
from tinhso.catalog.selectors import procedure_search
from tinhso.core.models import AuditEntry
from tinhso.org.demo import demo_load

pytestmark = pytest.mark.django_db

ORG = ["org.units", "org.calendar", "org.agencies"]
COMPLETE = {
    "1.001193": "khai sinh", "1.000894": "kết hôn", "1.000656": "khai tử", "1.004222": "thường trú",
    "2.000815": "chứng thực bản sao", "2.000884": "chứng thực chữ ký", "1.004873": "tình trạng hôn nhân",
    "1.004837": "giám hộ", "2.000635": "trích lục", "1.004194": "tạm trú", "1.001612": "hộ kinh doanh",
    "1.009997": "giấy phép xây dựng", "2.001610": "doanh nghiệp tư nhân",
}


def test_demo_catalogue_loads_everything_once(settings):
    demo_load(only=[*ORG, "catalog.procedures"])

    assert Procedure.objects.filter(current_version__isnull=False).count() == 639 + 5
    complete = Procedure.objects.filter(current_version__is_complete=True).select_related("current_version")
    assert {p.code for p in complete} == set(COMPLETE)
    for procedure in complete:
        version = procedure.current_version
        assert version.processing_time_value and version.processing_time_unit, procedure.code
        assert version.documents.exists() and version.legal_basis and version.process.steps.exists(), procedure.code
        assert procedure.popularity > 0

    birth = Procedure.objects.get(code="1.001193").current_version
    links = set(birth.agency_links.values_list("agency__code", "role"))
    assert ("H44.101", "competent") in links and ("H44.104.01", "receiving") in links
    company = Procedure.objects.get(code="2.001610").current_version
    assert set(company.agency_links.values_list("agency__code", "role")) == {
        ("H44.01.01", "receiving"), ("H44.04", "competent")}
    assert birth.eform_schema["properties"]["so_dinh_danh_me"]["format"] == "id_number"
    assert procedure_search(q="giay phep xay nha").items[0].code == "1.009997"

    versions, audits = ProcedureVersion.objects.count(), AuditEntry.objects.count()
    demo_load(only=["catalog.procedures"])
    assert (ProcedureVersion.objects.count(), AuditEntry.objects.count()) == (versions, audits)
