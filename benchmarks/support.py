"""Shared plumbing for the benchmarks: fresh PostgreSQL databases, a running `kaari serve`, percentiles."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SYNTHEA = ROOT.parent / "shared" / "data" / "synthea-r4"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def database_fresh(name: str) -> str:
    """Drop and recreate a PostgreSQL database; its URL."""
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def kaari_env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "KAARI_ENV": "production"})
    env.setdefault("KAARI_DATA_DIR", tempfile.mkdtemp(prefix="kaari-bench-"))
    env.update(extra)
    return env


def kaari(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaari", *args],
        env=env,
        text=True,
        capture_output=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def integration_token(env: dict[str, str], name: str = "bench") -> str:
    """Create an integration client in the benchmark database and return a bearer token for it."""
    created = kaari(["createuser", name, "--role", "integration"], env)
    if created.returncode != 0 and "exists" not in created.stderr:
        raise RuntimeError(f"createuser failed: {created.stderr}")
    issued = kaari(["token", name], env)
    if issued.returncode != 0:
        raise RuntimeError(f"token failed: {issued.stderr}")
    return issued.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server_running(command: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """Start a server process and wait until it answers /fhir/metadata; its base URL."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}")
            try:
                urllib.request.urlopen(f"{base}/fhir/metadata", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start within 60 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def django_setup(database_url: str, *, data_dir: str) -> None:
    """Django in this process, on the benchmark's database, as production runs it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("KAARI_ENV", "production")
    os.environ.setdefault("KAARI_DATA_DIR", data_dir)
    os.makedirs(os.environ["KAARI_DATA_DIR"], exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaari.settings")
    import django

    django.setup()


def query_rows(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a read-only query the benchmark uses to pick its samples."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
