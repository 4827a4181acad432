"""Fixtures shared by the project-wide matrix tests (access, personal data, no English)."""

import pytest

from tests.http_server import start_production_server

from .test_access_matrix import reform  # noqa: F401  (the reform roles of the access matrix)


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, request):
    """gunicorn with the production settings on a free 127.0.0.1 port (tests/http_server.py).
    A test module may set `SERVER_ENV = {...}` for extra environment variables."""
    extra = getattr(request.module, "SERVER_ENV", {})
    server = start_production_server(tmp_path_factory.mktemp("gunicorn"), **extra)
    yield server
    server.stop()
