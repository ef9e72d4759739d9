"""The real services on this machine that some tests talk to, and a port that answers
nothing, for tests of what happens when a service is down."""

import os
import socket

import pytest
import redis

# Redis as .ci/run and the README's production notes start it; another one with
# ITA_TEST_REDIS_URL.
REDIS_URL = os.getenv("ITA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_reachable() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_reachable(), reason=f"no Redis answers at {REDIS_URL}")


def closed_port() -> int:
    """A loopback TCP port that nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
