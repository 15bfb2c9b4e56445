"""`/healthz`: whether this site can do its work, for a load balancer, systemd or a monitoring probe.

JSON `{"status": "ok" | "fail", "checks": {"database": ..., "worker": ..., "disk": ...}}`, 200 when every check
passes and 503 otherwise. No sign-in (a probe has no account), nothing personal (counts, ages, free bytes), never
cached. The checks:

- `database`: a `SELECT 1` answers (`ms`: how long it took);
- `worker`: at least one `giamngheo worker` sent a heartbeat within JOB_WORKER_TIMEOUT_SECONDS (`workers`: how many
  did, `heartbeat_age_seconds`: the freshest one's age); HEALTH_REQUIRE_WORKER=0 reports without failing on it;
- `disk`: at least HEALTH_MIN_FREE_MB free where uploads and results are stored (MEDIA_ROOT, or the nearest folder
  above it that exists).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from giamngheo.jobs.liveness import live_workers


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            ok = cursor.fetchone() == (1,)
    except DatabaseError:
        ok = False
    return {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _worker() -> dict[str, Any]:
    required = settings.HEALTH_REQUIRE_WORKER
    try:
        now = timezone.now()
        workers = live_workers(now)
    except DatabaseError:
        return {"ok": not required, "heartbeat_age_seconds": None, "workers": 0, "required": required}
    age = round((now - workers[0].last_seen).total_seconds(), 1) if workers else None
    return {"ok": bool(workers) or not required, "heartbeat_age_seconds": age, "workers": len(workers),
            "required": required}  # fmt: skip


def _disk() -> dict[str, Any]:
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        free = shutil.disk_usage(path).free
    except OSError:
        return {"ok": False, "free_bytes": None, "path": str(path)}
    return {"ok": free >= settings.HEALTH_MIN_FREE_MB * 1024 * 1024, "free_bytes": free, "path": str(path)}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "worker": _worker(), "disk": _disk()}
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)
