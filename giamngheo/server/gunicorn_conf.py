"""gunicorn's configuration for giamngheo: `giamngheo serve` starts gunicorn with it, and a service manager can
use it directly: `gunicorn -c python:giamngheo.server.gunicorn_conf giamngheo.wsgi` (the same environment
variables apply, see giamngheo.server.config).

gunicorn reads the module's names that are gunicorn settings and ignores the others.
"""

from __future__ import annotations

from typing import Any

from giamngheo.server.config import ServerOptions

_options = ServerOptions.from_environment()

wsgi_app = "giamngheo.wsgi:application"
bind = [_options.bind]
workers = _options.workers
threads = _options.threads
worker_class = "gthread"
timeout = _options.timeout
graceful_timeout = 30
keepalive = 5
# Load Django once in the master and fork: less memory per worker, and a broken configuration (no SECRET_KEY)
# stops the server at once with its message instead of workers failing to boot in a loop.
preload_app = True
# Recycle each worker after this many requests (staggered), bounding the memory any slow leak can take.
max_requests = 2000
max_requests_jitter = 200
errorlog = "-"
# No control socket (gunicorn ≥ 25.1 opens one in the user's home by default): nothing needs to resize or reload the
# server at run time, and two servers on one machine would fight over the same socket path.
control_socket_disable = True
# X-Forwarded-* are trusted from the local reverse proxy only (gunicorn's default, spelled out).
forwarded_allow_ips = "127.0.0.1,::1"


def on_starting(server: Any) -> None:
    hide_server_header()


def hide_server_header() -> None:
    """Answer without gunicorn's `Server: gunicorn` header: naming the software (and so its known flaws) helps
    no one but an attacker, and HTTP does not require the header.

    gunicorn writes the header itself, before the application's headers, in `Response.default_headers` (there is
    no setting for it); the lines it returns are wrapped here to leave that one out. Called in the master before it
    forks, so every worker inherits it. tests/server/test_serve.py checks a real server's answers."""
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "hides_server_header", False):
        return

    def default_headers(self: Any) -> list[str]:
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.hides_server_header = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers
