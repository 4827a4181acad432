import pytest

from tests.http_server import start_production_server


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, request):
    """gunicorn with the production settings on a free 127.0.0.1 port (tests/http_server.py).
    A test module may set `SERVER_ENV = {...}` for extra environment variables."""
    extra = getattr(request.module, "SERVER_ENV", {})
    server = start_production_server(tmp_path_factory.mktemp("gunicorn"), **extra)
    yield server
    server.stop()
