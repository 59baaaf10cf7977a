import io

from kaari.wsgi import application


def call(path: str) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    statuses: list[str] = []
    body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], body


def test_fhir_requests_are_served_by_the_api_handler(db):
    status, body = call("/fhir/metadata")
    assert status.startswith("200")
    assert b"CapabilityStatement" in body


def test_other_requests_are_served_by_the_full_site_handler(db):
    status, _ = call("/no-such-page")
    assert status.startswith("404")


def test_cds_hooks_discovery_is_served_by_the_api_handler_from_its_own_url_patterns(db):
    status, body = call("/cds-services")
    assert status.startswith("200")
    assert b'"services"' in body


def test_an_unknown_path_under_the_api_prefix_is_not_found_by_the_api_handler(db):
    status, _ = call("/cds-services/no-such-service/feedback/extra")
    assert status.startswith("404")
