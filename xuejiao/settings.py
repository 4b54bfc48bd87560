"""Settings for xuejiao, in one place.

Everything that differs between a laptop, the demo and production comes from the environment
through the typed readers in ``xuejiao.env``. The database is one variable, ``DATABASE_URL``;
without it the platform runs on an embedded SQLite file under ``var/``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django.conf.locale

from xuejiao.env import env_bool, env_int, env_list, env_str
from xuejiao.var import stored_secret_key, var_dir

BASE_DIR = Path(__file__).resolve().parent.parent
# Loading the settings writes nothing: the directory and a generated key are made by
# xuejiao.var.prepare(), which manage.py and the WSGI application call first.
VAR_DIR = var_dir()
# Without XUEJIAO_SECRET_KEY and before prepare() has run, the key is empty and Django refuses
# to sign anything, rather than signing with a key that would not outlive the process.
SECRET_KEY = env_str("XUEJIAO_SECRET_KEY", "") or stored_secret_key(VAR_DIR)
DEBUG = env_bool("XUEJIAO_DEBUG", False)
ALLOWED_HOSTS = env_list("XUEJIAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("XUEJIAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "auditlog",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # The platform, one app per area of the campaign.
    "core",
    "orgs",
    "campaigns",
    "ledger",
    "quiz",
    "concerns",
    "orglife",
    "figures",
    "reports",
    "quality",
    "api",
    # Each person's work (the inbox, notices, whose turn it is): it reads every app's pending
    # work, beside the shell.
    "inbox",
    # The shell around them (home, navigation, health, the demo): it reads what every app
    # declares, so it comes last.
    "shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.replicas.ReplicaMiddleware",  # outside the session: a session's write pins the primary
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateResponsesMiddleware",  # after WhiteNoise: static files keep their caching
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.AuditContextMiddleware",  # the audit log's account and address
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuejiao.urls"
WSGI_APPLICATION = "xuejiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shell.context_processors.navigation",
                "inbox.context_processors.inbox_link",
                "campaigns.context_processors.campaign_switch",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "xuejiao.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=env_int("XUEJIAO_DB_CONN_MAX_AGE", 60),
        # A reused connection is checked at the start of each request, so that a database
        # restart costs no failed request (on PostgreSQL without a round trip unless the
        # server has spoken since the last query: xuejiao/db/postgresql/base.py).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's PostgreSQL, with the health check asking the socket before the server
    # (xuejiao/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "xuejiao.db.postgresql"
    # Parameters bound by the server, and a statement run this many times on a connection
    # prepared there, so that PostgreSQL parses and plans a quiz's answer once per connection
    # instead of once per answer. 0 turns preparing off: a pooler in transaction mode
    # (PgBouncer before 1.21) cannot keep a connection's prepared statements.
    prepare_threshold = env_int("XUEJIAO_PG_PREPARE_THRESHOLD", 5)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=prepare_threshold if prepare_threshold > 0 else None,
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's own SQLite backend. (A backend that queued writers on a kernel lock did not
    # win the quiz's load benchmark by enough to override Django's private methods:
    # bench/README.md, "SQLite backends".)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; every transaction takes the writers'
        # lock at BEGIN, so two never deadlock upgrading a read, and a writer that finds the
        # database held waits in SQLite's busy handler up to the timeout;
        # case-sensitive LIKE lets a subtree filter (path LIKE 'prefix%') use the path index.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA case_sensitive_like=ON;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("XUEJIAO_SQLITE_TIMEOUT", 30),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL hot standby for the pages that only read figures (core/replicas.py): their
# reads go there while it is no more than XUEJIAO_REPLICA_MAX_LAG_SECONDS behind; a browser
# that wrote reads the primary for XUEJIAO_REPLICA_PIN_SECONDS (kept longer than the lag
# bound, so that nobody reads a figure older than their own last write).
XUEJIAO_REPLICA_MAX_LAG_SECONDS = env_int("XUEJIAO_REPLICA_MAX_LAG_SECONDS", 10)
XUEJIAO_REPLICA_PIN_SECONDS = max(env_int("XUEJIAO_REPLICA_PIN_SECONDS", 15), XUEJIAO_REPLICA_MAX_LAG_SECONDS + 5)
XUEJIAO_REPLICA_PATHS = env_list(
    "XUEJIAO_REPLICA_PATHS", ["/reports/dashboard/", "/reports/report/", "/ledger/indicators/", "/api/v1/indicators"]
)
if env_str("XUEJIAO_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("XUEJIAO_REPLICA_URL"), conn_max_age=env_int("XUEJIAO_DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["ENGINE"] = DATABASES["default"]["ENGINE"]
    # A standby that does not answer is given up on quickly: its pages then read the primary.
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), "connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.Account"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Log-in lockout (the policy: orgs/lockout.py). Failures are counted per user name and
# address: this many for one name from one address lock that address out of that name
# (not the account for everyone); an address failing on this many distinct names is locked
# out of every name; this many failures for one name from all addresses together lock the
# account everywhere, its API tokens included (0: never). Locks last the cool-off, or until
# an office admin unlocks the account. The address is the client's, read behind the proxy
# from X-Forwarded-For when XUEJIAO_BEHIND_TLS_PROXY is set (core/http.py).
AXES_FAILURE_LIMIT = env_int("XUEJIAO_LOGIN_FAILURE_LIMIT", 5)
XUEJIAO_LOGIN_ADDRESS_NAME_LIMIT = env_int("XUEJIAO_LOGIN_ADDRESS_NAME_LIMIT", 20)
XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT", 50)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "orgs.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "orgs.lockout.client_ip"
# HSTS preloading is a deployment's own opt-in (XUEJIAO_HSTS_PRELOAD, off by default), so
# Django's reminder to turn it on (security.W021) is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
AXES_COOLOFF_TIME = env_int("XUEJIAO_LOGIN_COOLOFF_HOURS", 1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = env_int("XUEJIAO_SESSION_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True  # the session times out after inactivity, not after log-in
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("XUEJIAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("XUEJIAO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XUEJIAO_HSTS_SUBDOMAINS", True)
# Asking browsers to preload HSTS is a promise a deployment makes for its whole domain (and its
# subdomains) and cannot quickly take back, so it is opted into, never a default.
SECURE_HSTS_PRELOAD = env_bool("XUEJIAO_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("XUEJIAO_SSL_REDIRECT", False)
BEHIND_PROXY = env_bool("XUEJIAO_BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A form refused by the CSRF check gets a page of the platform in the reader's language.
CSRF_FAILURE_VIEW = "shell.views.csrf_failure"

# --- Languages ------------------------------------------------------------------------------
# Django ships no Tibetan locale data; without this entry get_language_info("bo") raises.
django.conf.locale.LANG_INFO["bo"] = {
    "bidi": False,
    "code": "bo",
    "name": "Tibetan",
    "name_local": "བོད་ཡིག",
}
LANGUAGE_CODE = "zh-hans"
# The switcher shows each language by its own name (name_local), so these are not UI text.
LANGUAGES = [
    ("zh-hans", "Simplified Chinese"),
    ("bo", "Tibetan"),
    ("en", "English"),
]
# Each app keeps its own catalogues in <app>/locale/ (zh_Hans, bo, en); the settings' own
# strings (language names) live in core's. Listed here, the project's catalogues win over every
# library's (a library's word for a shared message id never replaces ours). xuejiao/locale
# comes first: it holds the project's words for Django's own messages (validation, log-in,
# pagination, error pages) and the one translation of each message id that several apps share,
# so that no word depends on the order of the apps (core/tests/test_catalogues.py).
LOCALE_PATHS = [BASE_DIR / "xuejiao" / "locale"] + [
    BASE_DIR / app / "locale" for app in INSTALLED_APPS if (BASE_DIR / app / "locale").is_dir()
]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "core.staticfiles.StaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside any URL space: it is served only through views that check
# scope, never from a public media folder.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = ""
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Every uploaded file passes one guard (core/uploads.py): a file is kept on disk only up to
# the size limit while it arrives, then checked by its content before anything reads it.
FILE_UPLOAD_HANDLERS = ["core.uploads.CappedUploadHandler"]
XUEJIAO_UPLOAD_MAX_MB = env_int("XUEJIAO_UPLOAD_MAX_MB", 20)
XUEJIAO_UPLOAD_MAX_EXPANDED_MB = env_int("XUEJIAO_UPLOAD_MAX_EXPANDED_MB", 400)
XUEJIAO_UPLOAD_MAX_PARTS = env_int("XUEJIAO_UPLOAD_MAX_PARTS", 1000)
XUEJIAO_UPLOAD_MAX_RATIO = env_int("XUEJIAO_UPLOAD_MAX_RATIO", 100)
XUEJIAO_UPLOAD_MAX_ROWS = env_int("XUEJIAO_UPLOAD_MAX_ROWS", 250_000)
XUEJIAO_UPLOAD_MAX_COLUMNS = env_int("XUEJIAO_UPLOAD_MAX_COLUMNS", 200)


# --- Cache ----------------------------------------------------------------------------------
# Shared by every server process on the machine (rate limits, figure cache): files under
# var/cache. Past one machine, point XUEJIAO_CACHE_LOCATION at a shared store (see
# docs/scaling.md) or use a cache server.
def _cache(backend: str, location: str, max_entries: int, **extra) -> dict:
    """A cache of Django's; the culling bound only where the backend takes one (a Redis
    server bounds itself: ``maxmemory``)."""
    made = {"BACKEND": backend, "LOCATION": location, **extra}
    if "redis" not in backend.lower():
        made["OPTIONS"] = {"MAX_ENTRIES": max_entries}
    return made


CACHES = {
    "default": _cache(
        env_str("XUEJIAO_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"),
        env_str("XUEJIAO_CACHE_LOCATION", str(VAR_DIR / "cache")),
        20000,
        TIMEOUT=3600,
    ),
    # The rate limiter's counters (core/ratelimit.py: the quiz, API tokens): in each process's
    # memory unless pointed at Redis, because a file per count would cost more than the answer
    # it counts, and a file or database cache does not increment atomically.
    "ratelimit": _cache(
        env_str("XUEJIAO_RATELIMIT_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        env_str("XUEJIAO_RATELIMIT_CACHE_LOCATION", "ratelimit"),
        100000,
    ),
}
RATE_LIMIT_CACHE = "ratelimit"

# --- API ------------------------------------------------------------------------------------
# Calls a token may make per minute before it gets 429.
API_TOKEN_RATE_PER_MINUTE = env_int("XUEJIAO_API_RATE_PER_MINUTE", 600)

# --- Background work ------------------------------------------------------------------------
# The health endpoint reports the worker as stalled when a task has waited longer than this.
XUEJIAO_WORKER_MAX_LAG = env_int("XUEJIAO_WORKER_MAX_LAG_SECONDS", 300)
# A job still waiting or running this long after it was asked for has stopped: /health/
# reports it and ``manage.py end_stale_jobs`` ends it as failed.
XUEJIAO_JOB_STALE_SECONDS = env_int("XUEJIAO_JOB_STALE_SECONDS", 1800)
TASKS = {
    "default": {
        "BACKEND": env_str("XUEJIAO_TASK_BACKEND", "django_tasks_db.backend.DatabaseBackend"),
    }
}

# --- E-mail ---------------------------------------------------------------------------------
# Notices and the daily digest go out through Django's e-mail backend to accounts that have an
# address. Without a backend configured, the e-mails are printed on the console (the demo).
EMAIL_BACKEND = env_str("XUEJIAO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("XUEJIAO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("XUEJIAO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("XUEJIAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("XUEJIAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("XUEJIAO_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("XUEJIAO_EMAIL_FROM", "xuejiao@localhost")
# The address of the platform, for the links in e-mails.
XUEJIAO_SITE_URL = env_str("XUEJIAO_SITE_URL", "http://127.0.0.1:8000")
# The hour (local time) from which the daily digest is sent.
XUEJIAO_DIGEST_HOUR = env_int("XUEJIAO_DIGEST_HOUR", 8)

# --- Audit ----------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XUEJIAO_LOG_LEVEL", "WARNING")},
}
