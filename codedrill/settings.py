"""codedrill settings: every knob is read from the environment here, and only here.

See README.md "Configuration" for the variables and their defaults.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("CODEDRILL_DATA_DIR") or REPO_DIR / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
CONTENT_DIR = Path(os.environ.get("CODEDRILL_CONTENT_DIR") or REPO_DIR / "content").resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated on first start and kept."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting together agree on one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "codedrill.accounts",
    "codedrill.content",
    "codedrill.progress",
    "codedrill.learning",
    "codedrill.review",
    "codedrill.attempts",
    "codedrill.lab",
    "codedrill.lti",
    "codedrill.projects",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "codedrill.middleware.content_security_policy",
    "codedrill.middleware.refuse_bad_requests",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "codedrill.accounts.middleware.SessionUserMiddleware",
    "codedrill.accounts.middleware.keep_sessions_alive",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "codedrill.urls"
WSGI_APPLICATION = "codedrill.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default. WAL lets readers run beside the one writer; IMMEDIATE takes the write
# lock at BEGIN so two writers queue on busy_timeout instead of failing mid-transaction with
# "database is locked"; synchronous=NORMAL in WAL mode keeps every commit across a crash of the
# process (only a power loss may drop the last commits).
_default_db = f"sqlite:///{DATA_DIR / 'codedrill.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_db,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the health check skipped while a connection is busy (see
    # codedrill/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "codedrill.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with writers queued in arrival order (see codedrill/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "codedrill.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "catalog"
LOGOUT_REDIRECT_URL = "catalog"

AUTHENTICATION_BACKENDS = [
    "codedrill.accounts.backends.RateLimitedBackend",
    # Never checks a password (the first backend ends every attempt): keeps the sessions it
    # logged in, every guest's among them (codedrill.accounts.learners.get_learner).
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins allowed per username and per client address in LOGIN_FAILURE_WINDOW seconds.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))

# Seconds a Challenge problem gives from its first showing; tests shorten it.
CHALLENGE_SECONDS = int(os.environ.get("CHALLENGE_SECONDS", "120"))

# Lab runs are jobs of Django's tasks API, kept in the database and worked by `codedrill
# labworker` processes (`codedrill serve` starts LAB_WORKERS of them beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# One run at a time per core keeps timings honest; each worker pins its runs to its own core.
LAB_WORKERS = int(os.environ.get("LAB_WORKERS") or os.cpu_count() or 1)
LAB_QUEUE_LIMIT = int(os.environ.get("LAB_QUEUE_LIMIT", "50"))  # queued live runs, then 503
LAB_RUNS_PER_HOUR = int(os.environ.get("LAB_RUNS_PER_HOUR", "20"))  # live runs per learner
LAB_GUEST_RUNS_PER_HOUR = int(os.environ.get("LAB_GUEST_RUNS_PER_HOUR", "5"))
# A running run whose worker has not beaten for this long is taken for dead: retried once.
LAB_STALE_SECONDS = int(os.environ.get("LAB_STALE_SECONDS", "20"))
# Project submissions share the lab's queue and workers (and LAB_STALE_SECONDS).
PROJECT_QUEUE_LIMIT = int(os.environ.get("PROJECT_QUEUE_LIMIT", "50"))
PROJECT_RUNS_PER_HOUR = int(os.environ.get("PROJECT_RUNS_PER_HOUR", "60"))
PROJECT_GUEST_RUNS_PER_HOUR = int(os.environ.get("PROJECT_GUEST_RUNS_PER_HOUR", "20"))

# The largest request body accepted, files included (codedrill.middleware.refuse_bad_requests):
# an answer or a form is a few KB; the admin's bulk actions on many rows stay well under this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# LTI logins leave their state and nonce for the launch that follows, which any web process
# may serve: a cache in the database (its table is made by codedrill.lti's migrations).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "lti": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lti_cache"},
}

# Django's database sessions, each read with its user in one query (accounts.Session).
SESSION_ENGINE = "codedrill.accounts.sessions"
# Guests keep their progress for 90 days after their last visit (see keep_sessions_alive);
# `codedrill clearguests` then deletes them.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 90

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files served by WhiteNoise; needs `collectstatic` (make run does it).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security headers. The CSP forbids inline script and style: every behaviour is a static file.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# HTTPS=on is the production switch: secure cookies, redirect to https and HSTS.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz must answer plain HTTP probes from a load balancer even when HTTPS is on.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The production server `codedrill serve` starts (see README "Why WSGI").
SERVER_WORKERS = int(os.environ.get("WEB_WORKERS", "2"))
# On SQLite one thread per process: the database is in-process, so threads only wait on each
# other, and a writer holding SQLite's lock would wait for the GIL (benchmarks/README.md
# "Challenge load"). On PostgreSQL threads overlap the round trips to the server.
_SQLITE = DATABASES["default"]["ENGINE"] == "codedrill.sqlite"
SERVER_THREADS = int(os.environ.get("WEB_THREADS", "1" if _SQLITE else "4"))
