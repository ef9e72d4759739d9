import pytest

from operations.tests.services import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own (operations/tests/services.py), killed after."""
    server = RedisServer(tmp_path)
    yield server
    server.stop()
