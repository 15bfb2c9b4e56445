"""Django settings, read from the environment.

Every setting that varies between machines comes from an environment variable read through a typed helper that
fails loudly on a bad value. SQLite is the default database; `DATABASE_URL` selects another (PostgreSQL).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from giamngheo.server.secret_key import (
    MISSING_KEY_MESSAGE,
    SecretKeyError,
    configured_key,
    data_dir,
    default_key_file,
    ensure_key_file,
)
from giamngheo.survey.limits import ReadLimits

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
# No key in the code (giamngheo/server/secret_key.py): SECRET_KEY, else the file SECRET_KEY_FILE, else
# DATA_DIR/secret-key. DEBUG on (a developer's machine) creates that file once; DEBUG off refuses to start.
try:
    SECRET_KEY = configured_key() or ""
    if not SECRET_KEY and DEBUG:
        ensure_key_file()
        SECRET_KEY = configured_key() or ""
except SecretKeyError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
if not SECRET_KEY:
    raise ImproperlyConfigured(MISSING_KEY_MESSAGE.format(path=default_key_file()))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# --- HTTPS (behind a reverse proxy that terminates TLS, such as the nginx example in deploy/) -------------------
# HTTPS=1 turns on everything `giamngheo check --deploy` asks for. The proxy must set X-Forwarded-Proto itself
# (overwriting any value the client sent): Django then trusts it to tell HTTPS requests from plain ones.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# HSTS: a year by default. Preload only matters if the domain's owner submits it to the browsers' list (and
# hstspreload.org accepts registrable domains only), so announcing it is harmless and keeps the deploy check clean.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# A form posted over HTTPS must come from one of the site's own hosts ("example.gov.vn" -> "https://example.gov.vn",
# ".example.gov.vn" -> "https://*.example.gov.vn"); CSRF_TRUSTED_ORIGINS adds others.
CSRF_TRUSTED_ORIGINS = [
    *(
        f"https://*{host}" if host.startswith(".") else f"https://{host}"
        for host in (ALLOWED_HOSTS if HTTPS else [])
        if host != "*"
    ),
    *env_list("CSRF_TRUSTED_ORIGINS", []),
]
# --- end HTTPS ----------------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    # The admin with two-step sign-in (giamngheo.accounts.admin_site) in place of "django.contrib.admin".
    "giamngheo.accounts.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "giamngheo.accounts",
    "giamngheo.jobs",
    "giamngheo.areas",
    "giamngheo.standards",
    "giamngheo.registry",
    "giamngheo.reviews",
    "giamngheo.decisions",
    "giamngheo.programme",
    "giamngheo.credit",
    "giamngheo.support",
    "giamngheo.goals",
    "giamngheo.commendations",
    "giamngheo.yearend",
    "giamngheo.demo",
    "giamngheo.web",
    "giamngheo.server",
    "csp",
    "giamngheo.ops",
]

MIDDLEWARE = [
    "giamngheo.ops.middleware.RequestIdMiddleware",  # outermost: a request id and an access line for every answer
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the WSGI process, before sessions and the rest: no database work for a CSS file.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamngheo.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page (giamngheo.accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "giamngheo.urls"
WSGI_APPLICATION = "giamngheo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "giamngheo.accounts.context_processors.scope",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'giamngheo.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_sqlite)
if _default_sqlite == DATABASE_URL:
    # SQLite creates the file, not its folder: on a fresh clone var/ does not exist yet.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a batch writes; a busy timeout avoids spurious "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A form refused by the CSRF check gets the site's 403 page, with a reason a user can act on.
CSRF_FAILURE_VIEW = "giamngheo.web.errors.csrf_failure"
LOGIN_URL = "login"

# --- Sign-in throttling and two-step sign-in (giamngheo.accounts.lockout, giamngheo.accounts.twofactor) ---
# django-axes counts failed sign-ins of every form (the site's, the admin's, the code step) by account and address
# together, and by address alone with a larger limit: an address cannot try passwords across accounts without limit,
# and nobody can lock a named officer out from another address. Counts live in Redis when REDIS_URL is set (axes'
# cache handler), in the database otherwise; both are shared by every server process.
AUTHENTICATION_BACKENDS = [
    "giamngheo.accounts.lockout.AxesBackend",  # axes' AxesStandaloneBackend, first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)  # failures for one account from one address
LOGIN_ADDRESS_FAILURE_LIMIT = env_int(
    "LOGIN_ADDRESS_FAILURE_LIMIT", 4 * LOGIN_FAILURE_LIMIT
)  # one address, all accounts
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Reverse proxies in front of the server (nginx: 1). 0: the client address is the connection's, X-Forwarded-For is
# ignored; N: the N-th address from the end of X-Forwarded-For (giamngheo.accounts.lockout.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "giamngheo.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "giamngheo.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True  # only the account's failures from its address (the handlers in lockout.py)
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "giamngheo"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are day/month/year in every language (giamngheo/formats): 02/12/2026, typed the same way in forms.
FORMAT_MODULE_PATH = ["giamngheo.formats"]

# Uploaded files (workbooks sent for classification and their results) live under the data directory.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# --- Survey file limits (issue 8, hostile input) ---------------------------------------------------------------
# Limits on the workbooks and CSV files the survey reader opens (giamngheo/survey/limits.py): SURVEY_MAX_FILE_MB,
# SURVEY_MAX_ROWS, SURVEY_MAX_COLUMNS, SURVEY_MAX_CELL_CHARS, SURVEY_MAX_ZIP_ENTRIES, SURVEY_MAX_UNZIPPED_MB,
# SURVEY_MAX_ZIP_RATIO, SURVEY_READ_MEMORY_MB, SURVEY_READ_TIMEOUT_S. The framework-free reader takes them from
# the environment itself; they are read here too so that a bad value stops every command at start.
try:
    SURVEY_READ_LIMITS = ReadLimits.from_env()
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
# --- end of survey file limits ---------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# --- Static files: WhiteNoise -------------------------------------------------------------------------------------
# `giamngheo serve` runs collectstatic into STATIC_ROOT; WhiteNoise serves that folder from every web process, with
# gzip copies made at collect time. CompressedStaticFilesStorage rather than the Manifest variant: file names stay
# unhashed, so `{% static %}` needs no manifest and works where collectstatic never ran (the tests, the browser
# tests' live server, a command rendering a page); the price is revalidation (ETag / Last-Modified, a 304) instead
# of far-future caching. With DEBUG on, WhiteNoise also serves straight from the apps' folders (its default).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# --- end static files ---------------------------------------------------------------------------------------------

# --- Security headers on every response ---------------------------------------------------------------------------
# SecurityMiddleware: X-Content-Type-Options: nosniff, Referrer-Policy, Cross-Origin-Opener-Policy; clickjacking
# middleware: X-Frame-Options. django-csp: the Content Security Policy. Every script and style is a file under
# /static/ (no inline code, no style attribute; tests/server/test_headers.py checks the pages), so the policy needs
# neither 'unsafe-inline' nor 'unsafe-eval'. data: images: the API docs' vendored stylesheet (swagger-ui) draws
# its icons with them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    },
}
# --- end security headers -----------------------------------------------------------------------------------------

# Background jobs (django-tasks): stored in the database, run by `giamngheo worker` (started by `make demo`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Cache: shared by every process through Redis when REDIS_URL is set (login throttling counts there too) ---------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "giamngheo"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Territories (who may read which households) kept between requests: a change to units or villages reaches every
# process at once through Redis; without it, other processes see it within this many seconds (areas.territory_cache).
TERRITORY_CACHE_SECONDS = env_int("TERRITORY_CACHE_SECONDS", 60)
# A built overview is kept while the assessments under it stand (reviews.overview); this bounds it otherwise.
OVERVIEW_CACHE_SECONDS = env_int("OVERVIEW_CACHE_SECONDS", 300)
# --- end cache ----------------------------------------------------------------------------------------------------
# Sign-in throttling (django-axes): counted in Redis when it is there, in the database otherwise; both are shared.
AXES_HANDLER = f"giamngheo.accounts.lockout.{'CacheHandler' if REDIS_URL else 'DatabaseHandler'}"

# --- Logging (giamngheo.ops.logs) ---------------------------------------------------------------------------
# LOG_FORMAT=json: one JSON object per line (production: journald or a log shipper reads it); text: readable lines
# (development). Every line carries the id of the request it was logged in; `giamngheo.request` is the access log.
LOG_FORMAT = env_str("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").strip().upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "giamngheo.ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"()": "giamngheo.ops.logs.TextFormatter"},
        "json": {"()": "giamngheo.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own handlers (a plain console under DEBUG, mail to ADMINS) are dropped: its lines go through ours.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
# --- end of logging ----------------------------------------------------------------------------------------------

# Where the poverty standards' data files live (one TOML file per standard).
GIAMNGHEO_STANDARDS_DIR = Path(env_str("GIAMNGHEO_STANDARDS_DIR", str(PACKAGE_DIR / "standards" / "data")))

# --- Background-job liveness and /healthz (giamngheo.jobs.liveness, giamngheo.jobs.health) -------------------------


def env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, got {raw!r}") from exc
    if not value >= 0:
        raise ImproperlyConfigured(f"{name} must be zero or more seconds, got {raw!r}")
    return value


# A worker writes its heartbeat this often; a running job whose worker was not seen for the timeout is failed.
JOB_HEARTBEAT_SECONDS = env_seconds("JOB_HEARTBEAT_SECONDS", 5)
JOB_WORKER_TIMEOUT_SECONDS = env_seconds("JOB_WORKER_TIMEOUT_SECONDS", 60)
# Assessments an area job classifies between two progress updates.
JOB_AREA_CHUNK_ASSESSMENTS = env_int("JOB_AREA_CHUNK_ASSESSMENTS", 20_000)
# TEST HOOK ONLY (tests/jobs/test_worker_killed.py): an area job sleeps this long after each chunk, so that a test
# can kill its worker mid-job. Never set in production.
JOB_TEST_SLEEP_PER_CHUNK_SECONDS = env_seconds("GIAMNGHEO_TEST_SLEEP_PER_CHUNK", 0)
# /healthz fails below this much free space where uploads and results are stored, and without a live worker
# unless HEALTH_REQUIRE_WORKER=0 (a site that runs no background jobs).
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 500)
HEALTH_REQUIRE_WORKER = env_bool("HEALTH_REQUIRE_WORKER", True)
# --- end of background-job liveness and /healthz -------------------------------------------------------------------
