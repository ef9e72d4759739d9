"""Real services that the operations tests start, stop, hang and kill themselves."""

import contextlib
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
import redis

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def spare_port() -> int:
    """A loopback TCP port that nothing listened on a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2):
            return True
    except psycopg.Error:
        return False


needs_postgres = pytest.mark.skipif(
    not postgres_reachable(), reason=f"no PostgreSQL answers at {POSTGRES}"
)
needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed"
)


class RedisServer:
    """A redis-server of the test's own on a spare port, without persistence."""

    def __init__(self, folder: Path):
        self.port = spare_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        for _ in range(100):
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not answer")

    def hang(self) -> None:
        """As a machine that stalls: connections are still accepted, nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait()


def drop_database(name: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(name: str) -> str:
    """A fresh, empty PostgreSQL database; its URL."""
    drop_database(name)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"
