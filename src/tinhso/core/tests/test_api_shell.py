import pytest


@pytest.mark.django_db
def test_health_answers_with_database_vendor(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}
    assert body["time"].endswith("+07:00")


@pytest.mark.django_db
def test_unknown_api_path_is_problem_json(client):
    response = client.get("/api/v1/khong-ton-tai")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json" and response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_invalid_bearer_key_is_refused_not_anonymous(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"
    # The health check is public (auth=None) for load balancers: no key is looked at there.
    assert client.get("/api/v1/health", HTTP_AUTHORIZATION="Bearer wrong").status_code == 200


@pytest.mark.django_db
def test_home_page_is_vietnamese(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert "Cổng dịch vụ công trực tuyến" in html


@pytest.mark.django_db
def test_api_docs_load_nothing_from_a_cdn(client):
    # A closed government network has no internet: Swagger UI must come from our own static files.
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html.split("<body")[0]
