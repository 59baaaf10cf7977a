"""Configuration from the environment, read the same way by every entry point.

Relative defaults resolve against the project directory, not the working directory, so that
`kaari` finds the same database and secret wherever it is started from.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("production", "development", "test")

# Secrets that ship in tutorials and templates; production refuses them.
KNOWN_DEFAULT_SECRETS = frozenset(
    {"", "secret", "changeme", "change-me", "dev", "development", "insecure", "kaari", "test", "password"}
)


class ConfigError(Exception):
    """The environment describes a configuration Kaari cannot run with."""


@dataclass(frozen=True)
class DatabaseConfig:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] | None = None

    @property
    def is_postgres(self) -> bool:
        return self.engine == "django.db.backends.postgresql"


def env_flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not an integer") from exc


def environment() -> str:
    env = os.environ.get("KAARI_ENV", "production").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"KAARI_ENV={env!r} is not one of {', '.join(ENVIRONMENTS)}")
    return env


def data_dir() -> Path:
    raw = os.environ.get("KAARI_DATA_DIR", "")
    path = Path(raw).expanduser() if raw else PROJECT_DIR / "var"
    if not path.is_absolute():
        path = (Path.cwd() / path).resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"KAARI_DATA_DIR {path} cannot be created: {exc}") from exc
    return path


def secret_key(directory: Path) -> str:
    """The secret from KAARI_SECRET_KEY, else one generated on first start and kept in the data directory."""
    from_env = os.environ.get("KAARI_SECRET_KEY")
    if from_env is not None:
        return from_env
    path = directory / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def database(directory: Path) -> DatabaseConfig:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=str(directory / "kaari.sqlite3"))
    return parse_database_url(url)


def parse_database_url(url: str) -> DatabaseConfig:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme in {"postgres", "postgresql", "postgresql+psycopg"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"DATABASE_URL {url!r} names no database")
        return DatabaseConfig(
            engine="django.db.backends.postgresql",
            name=name,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(parts.port or ""),
            options=options,
        )
    if scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as in the usual URL convention.
        path = unquote(url[len("sqlite://") :])
        path = path[1:] if path.startswith("/") else path
        if not path:
            raise ConfigError(f"DATABASE_URL {url!r} names no file")
        file = Path(path)
        if not file.is_absolute():
            file = (Path.cwd() / file).resolve()
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=str(file))
    raise ConfigError(f"DATABASE_URL scheme {scheme!r} is not supported; use postgresql:// or sqlite:///")


def allowed_hosts() -> list[str]:
    raw = os.environ.get("KAARI_ALLOWED_HOSTS", "")
    hosts = [host.strip() for host in raw.split(",") if host.strip()]
    return hosts or ["127.0.0.1", "localhost", "[::1]"]


def base_url() -> str:
    """The public base URL when Kaari runs behind a proxy; empty means 'from the request'."""
    return os.environ.get("KAARI_BASE_URL", "").rstrip("/")
