"""``GET /api/v1/reports/766`` and ``/reports/dossiers``: the national metric shape, the same figures as
the selectors, problem+json for a bad period, an agency outside the caller's scope and no login."""

from __future__ import annotations

from tinhso.dossiers.status import Channel
from tinhso.reports.tests.conftest import at

Q1 = {"period": "quarter", "year": 2026, "quarter": 1}


def test_score_payload_is_shaped_like_the_national_api(client, province, dossier):
    dossier(resolved=at(2026, 2, 6, 9), verdict="on_time", channel=Channel.ONLINE)
    dossier(resolved=at(2026, 2, 16, 9), due=at(2026, 2, 9, 17), verdict="late")
    client.force_login(province.governor)
    response = client.get("/api/v1/reports/766", Q1)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {"kind": "quarter", "label": "Quý 1/2026", "from": "2026-01-01", "to": "2026-03-31"}
    assert body["agency"] is None and body["max_score"] == 100
    assert [g["code"] for g in body["groups"]] == ["transparency", "dvc-progress-tree", "provide-online-tree",
                                                   "dossier-digitized", "handling-satisfaction",
                                                   "formality-online-payment-tree"]
    metrics = {m["number"]: m for g in body["groups"] for m in g["metrics"]}
    assert len(metrics) == 24
    five = metrics[5]
    assert {k: five[k] for k in ("code", "numerator", "denominator", "ratio", "score", "maxScore", "status")} == {
        "code": "DOSSIER_ON_TIME", "numerator": 1, "denominator": 2, "ratio": 50.0, "score": 10.0,
        "maxScore": 20.0, "status": "ok"}
    assert metrics[4]["status"] == "no_data" and metrics[4]["score"] is None and metrics[4]["note"]
    assert body["score"] == sum(m["score"] or 0 for m in metrics.values())


def test_dossier_figures_endpoint(client, province, dossier):
    dossier(resolved=at(2026, 2, 6, 9), verdict="early", channel=Channel.ONLINE)
    dossier(agency=province.other_commune)
    client.force_login(province.commune_leader)
    body = client.get("/api/v1/reports/dossiers", Q1).json()
    assert body["total"]["received"] == 1 and body["total"]["on_time_rate"] == 100.0
    assert [r["key"] for r in body["by_agency"]] == ["H44.20"]


def test_problems(client, province):
    anonymous = client.get("/api/v1/reports/766", Q1)
    assert anonymous.status_code in (401, 403) and anonymous["Content-Type"] == "application/problem+json"
    client.force_login(province.commune_leader)
    bad = client.get("/api/v1/reports/766", {"period": "quarter", "year": 2026, "quarter": 5})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_period"
    outside = client.get("/api/v1/reports/766", {**Q1, "agency": "H44.21"})
    assert outside.status_code == 403 and outside.json()["code"] == "report_agency_outside_scope"
    unknown = client.get("/api/v1/reports/766", {**Q1, "agency": "H99"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "agency_not_found"
    typed = client.get("/api/v1/reports/766", {"period": "year", "year": "hai nghìn"})
    assert typed.status_code == 422 and typed.json()["code"] == "invalid_input"
    client.force_login(province.clerk)
    assert client.get("/api/v1/reports/766", Q1).json()["code"] == "report_forbidden"
