"""Settings for SIPI IKM Kalbar: one module, every secret and switch from the environment.

Values come from the process environment, then from a git-ignored ``.env`` file in the checkout
(written by ``make db`` with a generated local SECRET_KEY and NIK key). See ``.env.example``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _sep, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"').strip("'")
    return values


_ENV_FILE = _read_env_file(BASE_DIR / ".env")


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, _ENV_FILE.get(name, default))


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value not in (None, "") else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-sipi-debug-only"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production) or run `make db`, "
            "which writes a local .env with a generated key."
        )

# Key for NIK encryption at rest (Fernet, urlsafe base64 of 32 bytes) and for its keyed HMAC.
NIK_ENCRYPTION_KEY = env("NIK_ENCRYPTION_KEY")
if not NIK_ENCRYPTION_KEY:
    if DEBUG:
        NIK_ENCRYPTION_KEY = "c2lwaS1kZWJ1Zy1vbmx5LW5pay1rZXktMzJieXRlcyE="
    else:
        raise ImproperlyConfigured(
            "NIK_ENCRYPTION_KEY is not set (generate one with `make db`, or "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "backoffice.apps.BackofficeAdminConfig",  # django.contrib.admin with the back-office site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",  # the read-only public API (api app, issue 15)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, no CDN
    "corsheaders",
    # Base apps (models), lowest first; see docs/architecture.md.
    "jobs",
    "accounts",  # MFA, session policy, password rules, security events (docs/security.md)
    "ikm",
    "products",
    "certifications",
    # Griya IKM programme work (issue 16), above certifications, independent of one another.
    "events",
    "curation",
    "consignment",
    "matching",
    # Surfaces, each on top of the base apps and independent of one another.
    "public",
    "portal",
    "backoffice",
    "demo",
    "api",  # open data: /api/v1/ and the nightly datasets at /data/ (docs/opendata.md)
    # The project itself, on top: operations commands (backup, restore_drill) and tasks.
    "sipi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy from SECURE_CSP (below)
    "sipi.middleware.SecurityHeadersMiddleware",  # Permissions-Policy; no-store on personal pages
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: precompressed by whitenoise
    "corsheaders.middleware.CorsMiddleware",  # CORS on /api/ and /data/ only, GET (api/README)
    # HTML compressed over the wire (Django's GZip pads against BREACH; CSRF tokens stay masked).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sipi.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sipi.middleware.RejectControlCharactersMiddleware",  # NUL & co. in GET/POST: 400, never 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionPolicyMiddleware",  # officials' idle/absolute limits, 403 events
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "sipi.dbrouting.ReplicaReadMiddleware",  # public pages read from the replica (if any)
    "public.middleware.AnonymousPublicCacheMiddleware",  # HTTP caching of anonymous public pages
]

ROOT_URLCONF = "sipi.urls"
WSGI_APPLICATION = "sipi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sipi.context_processors.csp",  # {{ csp_nonce }}, as Django 6.0 names it
            ],
            # {% load sipi_format %}: |rupiah and |ukuran_berkas, one format site-wide
            "libraries": {"sipi_format": "core.templatetags.sipi_format"},
        },
    },
]

# --- Database: DATABASE_URL (production) or the project's own cluster (sipi/localpg.py) ---
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if env("SIPI_DB_NAME"):  # another database on that server (a test run's workers)
        DATABASES["default"]["NAME"] = env("SIPI_DB_NAME")
else:
    from sipi.localpg import DB_NAME, DB_USER, socket_dir

    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env("SIPI_DB_NAME", DB_NAME),  # scratch databases (bench, subprocess tests)
            "USER": DB_USER,
            "HOST": str(socket_dir()),
            "CONN_MAX_AGE": 60,
        }
    }
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...).")
# Helpers and parallel runs may pick their own test database name.
DATABASES["default"]["TEST"] = {"NAME": env("SIPI_TEST_DB", f"test_{DATABASES['default']['NAME']}")}
# PostgreSQL's JIT compiles big queries (the catalog's facet query over 200k products) for
# ~1.5 s before running them for ~0.1 s: off for this OLTP site.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# "direct": a connection straight to the primary, never through a pooler. Background jobs write
# their progress through it (outside the job's own transaction, so the web sees it move).
# DATABASE_URL is direct already; DATABASE_DIRECT_URL only when DATABASE_URL itself is a pooler.
DATABASE_DIRECT_URL = env("DATABASE_DIRECT_URL")
DATABASES["direct"] = (
    dj_database_url.parse(DATABASE_DIRECT_URL, conn_max_age=60)
    if DATABASE_DIRECT_URL
    else {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
)
DATABASES["direct"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASE_DIRECT_URL:
    DATABASES["direct"]["TEST"] = {"MIRROR": "default"}

# --- Pooling (PgBouncer) and the read replica; README "Production: PgBouncer and a replica" ---
# DATABASE_URL reaches PostgreSQL directly: migrate and every management command, Celery worker
# and beat. DATABASE_POOLED_URL is PgBouncer in transaction mode in front of the same database:
# web processes use it as "default" (sipi/wsgi.py and sipi/asgi.py set SIPI_WEB_PROCESS, which
# turns DATABASE_POOLED on). A pooled server connection is a client's for one transaction only:
# no server-side cursors (.iterator() fetches at once), and no "options" startup parameter, which
# PgBouncer 1.18 refuses (turn JIT off there with connect_query, see sipi/localpgbouncer.py).
DATABASE_POOLED_URL = env("DATABASE_POOLED_URL")
# DATABASE_REPLICA_URL: a streaming replica (hot standby). The public pages read the catalog from
# it (sipi/dbrouting.py); writes, the owner portal and the back-office stay on "default", and a
# browser that has just sent a form reads from "default" for READ_YOUR_WRITES_SECONDS.
# DATABASE_REPLICA_POOLED=1 when that URL is a PgBouncer too.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")


def _database(url: str, *, pooled: bool) -> dict:
    db = dj_database_url.parse(url, conn_max_age=60, disable_server_side_cursors=pooled)
    if env("SIPI_DB_NAME"):  # scratch databases (bench, subprocess tests) on the same server
        db["NAME"] = env("SIPI_DB_NAME")
    if not pooled:
        db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return db


if DATABASE_POOLED_URL and env_bool("DATABASE_POOLED", env_bool("SIPI_WEB_PROCESS")):
    DATABASES["default"] = {
        **_database(DATABASE_POOLED_URL, pooled=True),
        "TEST": DATABASES["default"]["TEST"],
    }
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **_database(DATABASE_REPLICA_URL, pooled=env_bool("DATABASE_REPLICA_POOLED")),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["sipi.dbrouting.ReplicaRouter"]
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the shared cache, the session cache and the Celery broker ---
# Unset: the project runs its own Redis in .redis/ (sipi/localredis.py, `make db`): the cache in
# database 1, the broker in database 0 (clearing the cache never drops queued jobs).
from celery.schedules import crontab  # noqa: E402

from sipi import localredis  # noqa: E402 - stdlib only

REDIS_URL = env("REDIS_URL") or localredis.cache_url()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # One namespace per database: a bench or test database never shares cached figures
        # with another database's pages. A test run and the workers it starts use the test
        # database's name (as for the Celery queue below), set or not by SIPI_TEST_DB.
        "KEY_PREFIX": "sipi:"
        + (
            DATABASES["default"]["TEST"]["NAME"]
            if "PYTEST_VERSION" in os.environ
            else DATABASES["default"]["NAME"]
        ),
        "TIMEOUT": 300,
    }
}
# HTTP caching of public pages for anonymous visitors (public/middleware.py): seconds a browser or
# a front cache may reuse a page without asking again (then an ETag makes it a cheap 304).
PUBLIC_PAGE_MAX_AGE = int(env("PUBLIC_PAGE_MAX_AGE", "60"))
# The shared page cache also keeps catalog and directory pages with a query (a search asked
# again comes from Redis, under the catalog's version; public/middleware.py). Off: every query
# is computed (bench/catalog.py measures both).
PUBLIC_QUERY_PAGE_CACHE = env_bool("PUBLIC_QUERY_PAGE_CACHE", True)
# Sessions: in PostgreSQL (they survive a Redis restart), read through the Redis cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery: worker and beat (`make run` starts both; see Procfile) ---
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or (
    REDIS_URL if env("REDIS_URL") else localredis.broker_url()
)
# A test run queues on its own queue (its test database's name): its worker takes only its tasks.
CELERY_TASK_DEFAULT_QUEUE = (
    f"test-{DATABASES['default']['TEST']['NAME']}" if "PYTEST_VERSION" in os.environ else "celery"
)
CELERY_RESULT_BACKEND = None  # a job's outcome is its Job row (jobs app)
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("JOB_TIME_LIMIT", 3600)  # the longest task, seconds
# Redis redelivers an unacknowledged task after this: above the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Pontianak"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Scheduled work, defined here in code (beat reads it).
CELERY_BEAT_SCHEDULE = {
    "reap-stalled-jobs": {"task": "jobs.reap", "schedule": 300.0},
    # Before the 5-minute caches of the home figures and the landing facets expire.
    "refresh-public-aggregates": {"task": "public.refresh_aggregates", "schedule": 240.0},
    # Catalog rows whose certificate expired overnight (public/catalog_sql.py: certs_until).
    "expire-catalog-certificates": {
        "task": "public.expire_certificates",
        "schedule": crontab(hour=0, minute=5),
    },
    "cleanup-job-files": {"task": "jobs.cleanup_files", "schedule": crontab(hour=2, minute=30)},
    # The mail queue: rows whose task was lost are queued again; old sent mail is deleted.
    "maintain-mail-queue": {"task": "jobs.mail_maintain", "schedule": 300.0},
    # Open data: the bulk datasets (CSV/JSONL gzip) and their catalog, rebuilt every night.
    "build-open-data": {"task": "api.build_datasets", "schedule": crontab(hour=1, minute=30)},
    # Certificates expiring in 90, 30 and 7 days: their owners are mailed once per window.
    "certificate-expiry-reminders": {
        "task": "certifications.expiry_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Curation (issue 16): chosen products are produk terseleksi during their round's period.
    "curation-selection-sync": {
        "task": "curation.selection_sync",
        "schedule": crontab(hour=0, minute=10),
    },
    # Operations (sipi/tasks.py): the worker's heartbeat for /healthz (a missed one expires
    # rather than piling up behind a busy worker), and the nightly backup (sipi/backup.py).
    "health-heartbeat": {"task": "health.beat", "schedule": 30.0, "options": {"expires": 25}},
    "backup-nightly": {"task": "sipi.backup", "schedule": crontab(hour=1, minute=15)},
    # Expired sessions and their records; security events past SECURITY_EVENT_KEEP_DAYS.
    "accounts-cleanup": {"task": "accounts.cleanup", "schedule": crontab(hour=3, minute=10)},
    # Events (issue 16): owners holding a seat are mailed once, within the day before it starts.
    "event-reminders": {"task": "events.reminders", "schedule": crontab(minute=20)},
}
# Uploads and reports of finished jobs are deleted after this many days.
JOB_FILE_DAYS = env_int("JOB_FILE_DAYS", 14)
# A running job whose heartbeat is older than this (and was not delivered again) is failed.
JOB_STALE_SECONDS = env_int(
    "JOB_STALE_SECONDS", CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 300
)

# --- The back-office work dashboard (backoffice/dashboard.py) ---
# Service level for a request waiting on an official: green below 70 % of it, amber up to it,
# red past it (days since the request was (re)submitted).
REQUEST_SLA_DAYS = env_int("REQUEST_SLA_DAYS", 14)

# --- Backups and the restore drill (sipi/backup.py, sipi/drill.py; README "Backups") ---
# Where backups (and, for the local cluster, the WAL archive) go; the last BACKUP_KEEP are kept.
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / ".backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 7)
# The erasure journal (UU PDP deletions, ikm/privacy.py): kept OUTSIDE the database and beside
# the backups, so that `manage.py reapply_erasures` re-applies erasures after a restore.
ERASURE_JOURNAL = Path(env("ERASURE_JOURNAL", str(BACKUP_DIR / "erasures.jsonl")))
# Also a physical base backup (pg_basebackup, needs the replication privilege) when the server
# archives WAL: the start of a point-in-time recovery. On for the local cluster.
BACKUP_PHYSICAL = env_bool("BACKUP_PHYSICAL", not DATABASE_URL)
BACKUP_TIMEOUT = env_int("BACKUP_TIMEOUT", 3 * 3600)  # seconds, each of pg_dump / pg_basebackup
# --- /healthz (sipi/health.py): the worker is down when its heartbeat is older than this ---
HEALTH_WORKER_MAX_AGE = env_int("HEALTH_WORKER_MAX_AGE", 180)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers poll it over plain HTTP

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},  # (wording, issue 14)
    # 12 characters for officials (staff), 10 for owners (accounts/passwords.py).
    {
        "NAME": "accounts.passwords.RoleMinimumLengthValidator",
        "OPTIONS": {"staff_length": 12, "owner_length": 10},
    },
    {"NAME": "accounts.passwords.GlobalCommonPasswordValidator"},
    # ...and the Indonesian list in accounts/data/common-passwords-id.txt.
    {"NAME": "accounts.passwords.IndonesianCommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]

# --- Sessions (accounts/sessions.py; docs/security.md) ---
# Officials: a browser-session cookie, ended after 30 minutes without a request and 12 hours
# after log-in. Owners: a browser-session cookie, or 30 days when they tick "Ingat saya".
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_SECONDS", 12 * 3600)
OWNER_REMEMBER_SECONDS = env_int("OWNER_REMEMBER_SECONDS", 30 * 24 * 3600)
# Security events (accounts.SecurityEvent) are deleted after this many days (nightly chore).
SECURITY_EVENT_KEEP_DAYS = env_int("SECURITY_EVENT_KEEP_DAYS", 365)
# Server-side lifetime of a session row that is not "remembered" (browser-session cookies).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
# --- MFA (django-otp): TOTP apps show this name beside the account ---
OTP_TOTP_ISSUER = "SIPI IKM Kalbar"

# --- Language and time ---
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Pontianak"
USE_I18N = True
USE_TZ = True

# --- Static and media files (no CDN: everything is served by the project) ---
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Request documents: outside MEDIA_ROOT, served only through a permission-checking view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media in S3-compatible object storage (django-storages) when S3_BUCKET is set: product photos
# public-read under media/, request documents and job files private (no public ACL, signed URLs,
# and the app streams them only through its permission-checking views).
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env("S3_ENDPOINT_URL") or None,
        "region_name": env("S3_REGION") or None,
        "access_key": env("S3_ACCESS_KEY_ID"),
        "secret_key": env("S3_SECRET_ACCESS_KEY"),
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "media",
            "default_acl": "public-read",
            "querystring_auth": False,
            # Photos and their renditions get a new random name per upload (products.images):
            # browsers may keep them a year (Lighthouse "uses-long-cache-ttl").
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env("S3_PRIVATE_BUCKET", S3_BUCKET),
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail: every mail goes through the queue (jobs.mail): stored as a row, sent by the worker
# through EMAIL_DELIVERY_BACKEND (console for `make run`, SMTP from the environment in
# production) with retries. Tests: Django's test set-up makes EMAIL_BACKEND locmem (mail.outbox);
# the queue's own tests opt in (tests/jobs/test_mail_queue.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", "jobs.mail.QueuedEmailBackend")
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if EMAIL_DELIVERY_BACKEND == "jobs.mail.QueuedEmailBackend":
    raise ImproperlyConfigured("EMAIL_DELIVERY_BACKEND must be a real transport, not the queue.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # seconds; the worker holds the row while it sends
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5)  # tries before a mail is "failed"
MAIL_RETRY_BASE_SECONDS = float(env("MAIL_RETRY_BASE_SECONDS", "60"))  # 1, 2, 4, 8 minutes
MAIL_STUCK_SECONDS = env_int("MAIL_STUCK_SECONDS", 300)  # a queued row this late is queued again
MAIL_KEEP_DAYS = env_int("MAIL_KEEP_DAYS", 30)  # sent mail (links in their bodies) is deleted
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "SIPI IKM Kalbar <noreply@sipi-ikm.kalbarprov.go.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A URL typed without a scheme (``shopee.co.id/toko``) becomes https:// (Django 6.0's default).
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "/"
# Absolute links in mail sent outside a request (owner portal notifications).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# --- Login throttling (django-axes): per account and address ---
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout"  # Indonesian lockout page (owner portal)
# The "ip_address" above is the real client: X-Forwarded-For read from the right, past exactly
# TRUSTED_PROXY_COUNT proxies of our own (0: no proxy, REMOTE_ADDR). docs/security.md.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Owner-portal actions that send mail or reach officials, at most (count, seconds) per account or
# address and per client address (core/ratelimit.py; docs/security.md "Batas permintaan"). Past
# the limit the answer looks the same and nothing is sent (reset, resend, sign-up), or the claim
# form says to try later.
RATE_LIMITS = {
    "password_reset": {"per_account": (3, 3600), "per_ip": (20, 3600)},
    "resend_confirmation": {"per_account": (3, 3600), "per_ip": (20, 3600)},
    "signup_known_address": {"per_account": (3, 3600), "per_ip": (20, 3600)},
    "unit_claim": {"per_account": (10, 3600), "per_ip": (30, 3600)},
    # Public business-matching form (issue 16): per contact (phone/email) and per address.
    "matching_request": {"per_account": (3, 3600), "per_ip": (10, 3600)},
}
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip"

# --- django-import-export ---
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Security (production: DEBUG off) ---
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy, written in the shape of Django 6.0's SECURE_CSP (a dict of directives
# with CSP.SELF / CSP.NONCE constants) and served today by django-csp 4.x. On Django 6.0: import
# ``CSP`` from django.utils.csp instead, use django.middleware.csp.ContentSecurityPolicyMiddleware
# and django.template.context_processors.csp, and delete CONTENT_SECURITY_POLICY. No
# 'unsafe-inline' anywhere: scripts and styles come from /static/; an inline <script>/<style>
# needs nonce="{{ csp_nonce }}". See docs/security.md.
from types import SimpleNamespace  # noqa: E402

from csp import constants as _csp  # noqa: E402

CSP = SimpleNamespace(SELF=_csp.SELF, NONE=_csp.NONE, NONCE=_csp.NONCE)
_CSP_IMG_EXTRA = env_list("CSP_IMG_SRC")  # e.g. the object-storage origin of product photos
if S3_BUCKET and not _CSP_IMG_EXTRA:  # product photos from the bucket (S3_ENDPOINT_URL's origin)
    _CSP_IMG_EXTRA = [env("S3_ENDPOINT_URL") or "https://*.amazonaws.com"]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *_CSP_IMG_EXTRA],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": SECURE_CSP}  # django-csp 4.x reads this name
# No camera, microphone, location, payment… on any page (sipi.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
# The language choice cookie: not for scripts, not sent cross-site, HTTPS-only with the session's.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production is DEBUG off with an external DATABASE_URL: HTTPS-only defaults there, overridable.
PRODUCTION = bool(DATABASE_URL) and not DEBUG
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = False
# `manage.py check --deploy` (production settings) warns of nothing but these two, silenced on
# purpose (docs/security.md):
# - W005 (HSTS without includeSubDomains): the site lives under kalbarprov.go.id, whose other
#   subdomains are run by other offices, some still on plain HTTP; HSTS on them is not ours to
#   impose. SECURE_HSTS_INCLUDE_SUBDOMAINS=1 turns it on where the domain is the site's own.
# - W021 (HSTS preload): the preload list is practically irreversible and covers every subdomain;
#   a provincial domain is not submitted from one application.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# --- Open data (api app, issue 15): the read-only public API and the bulk datasets ---
REST_FRAMEWORK = {
    # Anonymous and read-only: no session, no CSRF; the same answer for everyone (cacheable).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AddressRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeyCursorPagination",
}
# Requests per client address (accounts.network.client_ip) in the shared cache: "N/s|m|h|d".
API_THROTTLE_RATE = env("API_THROTTLE_RATE", "120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "API Data Terbuka SIPI IKM Kalbar",
    "DESCRIPTION": (
        "API publik hanya-baca: produk, unit IKM (kolom publik saja), wilayah (kode Kemendagri), "
        "sertifikat dan statistik industri kecil dan menengah Kalimantan Barat. Data dengan "
        "lisensi CC BY 4.0; sebutkan sumber: Dinas Perindustrian dan Perdagangan Provinsi "
        "Kalimantan Barat. Data curah (CSV/JSONL) ada di /data/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/deed.id"},
    "COMPONENT_SPLIT_REQUEST": True,
}
# CORS (django-cors-headers): any origin may read /api/ and /data/ with GET, nothing else, and
# no cookies are sent (no credentials): the same answer a scraper would get, nothing personal.
CORS_URLS_REGEX = r"^/(api|data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
# Seconds a browser or front cache may reuse an API answer (then the ETag makes it a 304).
API_MAX_AGE = env_int("API_MAX_AGE", 60)
# Where the nightly datasets go in the default storage (MEDIA_ROOT or the S3 bucket).
OPENDATA_PREFIX = "opendata"
# The contact named in the datasets' metadata (the Dinas' data desk; set it in production).
OPENDATA_CONTACT_EMAIL = env("OPENDATA_CONTACT_EMAIL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # One key=value line per security event (accounts/events.py), also stored as SecurityEvent.
    "loggers": {
        "sipi.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
