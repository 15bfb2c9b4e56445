"""Django settings, read from the environment.

Every setting that varies between machines comes from an environment variable read through a typed helper that
fails loudly on a bad value. SQLite is the default database; `DATABASE_URL` selects another (PostgreSQL).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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


DATA_DIR = Path(env_str("GIAMNGHEO_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("GIAMNGHEO_INSECURE_DEFAULT_KEY", True):
        # Local development, tests and the demo only; production sets SECRET_KEY.
        SECRET_KEY = "giamngheo-insecure-development-key-not-for-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "giamngheo.accounts",
    "giamngheo.jobs",
    "giamngheo.areas",
    "giamngheo.standards",
    "giamngheo.registry",
    "giamngheo.reviews",
    "giamngheo.demo",
    "giamngheo.web",
    "giamngheo.ops",
]

MIDDLEWARE = [
    "giamngheo.ops.middleware.RequestIdMiddleware",  # outermost: a request id and an access line for every answer
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamngheo.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# Login throttling (giamngheo.accounts.throttle): failures per account name before a lock-out of this many seconds.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
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

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Background jobs (django-tasks): stored in the database, run by `giamngheo worker` (started by `make demo`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
