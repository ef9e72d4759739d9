import pytest

from linkcheck.tests import server as local


@pytest.fixture
def site():
    """A real HTTP server on 127.0.0.1, for one test."""
    server = local.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback(settings):
    """The check may reach the tests' server on 127.0.0.1 (and nothing else more),
    with short timeouts."""
    settings.ITA_LINK_CHECK_ALLOW_LOOPBACK = True
    settings.ITA_LINK_CHECK_TIMEOUT = 1.0
    settings.ITA_LINK_CHECK_DEADLINE = 2.0
    return settings
