"""Django settings, read from the environment.

Every setting that varies between machines comes from an environment variable read through a typed helper that
fails loudly on a bad value. SQLite is the default database; `DATABASE_URL` selects another (PostgreSQL).
"""

from __future__ import annotations

import os
from datetime import timedelta
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
    "giamngheo.demo",
    "giamngheo.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Background jobs (django-tasks): stored in the database, run by `giamngheo worker` (started by `make demo`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Shared by every process through Redis when REDIS_URL is set (sign-in throttling among them); per process otherwise.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_HANDLER = f"giamngheo.accounts.lockout.{'CacheHandler' if REDIS_URL else 'DatabaseHandler'}"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Where the poverty standards' data files live (one TOML file per standard).
GIAMNGHEO_STANDARDS_DIR = Path(env_str("GIAMNGHEO_STANDARDS_DIR", str(PACKAGE_DIR / "standards" / "data")))
