"""The web server's options, read from the environment (no Django import: gunicorn's master reads this too).

| variable | default | meaning |
|---|---|---|
| HOST | 127.0.0.1 | address to listen on (behind a reverse proxy: keep 127.0.0.1) |
| PORT | 8000 | port |
| WEB_WORKERS | 2 × CPU cores | gunicorn worker processes |
| WEB_THREADS | 4 | threads per worker (gthread) |
| WEB_TIMEOUT | 60 | seconds a request may run before its worker is restarted |

Defaults are sized for a small 2-core machine: gthread workers keep a few requests in flight per process while one
waits on the database, and two processes per core let the other core work while one holds the GIL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace


class ServerConfigError(ValueError):
    """A server option has a value that cannot be used; the message names it (Vietnamese / English)."""


@dataclass(frozen=True)
class ServerOptions:
    host: str
    port: int
    workers: int
    threads: int
    timeout: int

    @classmethod
    def from_environment(cls) -> ServerOptions:
        return cls(
            host=os.environ.get("HOST") or "127.0.0.1",
            port=_int("PORT", 8000, 1, 65535),
            workers=_int("WEB_WORKERS", 2 * (os.cpu_count() or 1), 1, 64),
            threads=_int("WEB_THREADS", 4, 1, 64),
            timeout=_int("WEB_TIMEOUT", 60, 5, 3600),
        )

    def override(
        self,
        host: str | None = None,
        port: int | None = None,
        workers: int | None = None,
        threads: int | None = None,
    ) -> ServerOptions:
        """These options with the given values (None: keep the environment's) — the command line wins."""
        changed = replace(
            self,
            host=self.host if host is None else host,
            port=self.port if port is None else port,
            workers=self.workers if workers is None else workers,
            threads=self.threads if threads is None else threads,
        )
        _check("--port", changed.port, 1, 65535)
        _check("--workers", changed.workers, 1, 64)
        _check("--threads", changed.threads, 1, 64)
        return changed

    @property
    def bind(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ServerConfigError(
            f"{name}={raw!r} không phải số nguyên. / {name} must be an integer, got {raw!r}."
        ) from None
    _check(name, value, low, high)
    return value


def _check(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ServerConfigError(
            f"{name}={value} nằm ngoài khoảng {low}–{high}. / {name}={value} is outside {low}–{high}."
        )
