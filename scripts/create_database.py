"""Creates DATABASE_URL's PostgreSQL database if it does not exist yet (scripts/serve.sh).

Connects to the server's `postgres` maintenance database with the same user; with
no right to create databases, says so and leaves it to `migrate` to report.
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

url = os.environ.get("DATABASE_URL", "")
parts = urlsplit(url)
if parts.scheme not in ("postgres", "postgresql", "pgsql"):
    sys.exit(0)  # SQLite and others need no creating
name = parts.path.lstrip("/")
maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
try:
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"create_database: created the PostgreSQL database {name}", file=sys.stderr)
except psycopg.Error as error:
    print(f"create_database: could not check or create {name}: {error}", file=sys.stderr)
