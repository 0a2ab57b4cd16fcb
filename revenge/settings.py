"""Revenge settings: every value comes from the environment, parsed once here (see README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from revenge import config

BASE_DIR = Path(__file__).resolve().parent.parent
env = config.Env()

DATA_DIR = Path(env.str("REVENGE_DATA_DIR", str(BASE_DIR / "data")) or BASE_DIR / "data").resolve()

DATABASES = {}
DATABASES["default"], EMBEDDED_DATABASE = config.database_config(env, data_dir=DATA_DIR)
config.private_database(DATABASES["default"])
REDIS_URL = config.redis_url(env)

DEBUG = env.bool("REVENGE_DEBUG", False)
SECRET_KEY = config.secret_key(env, data_dir=DATA_DIR, embedded=EMBEDDED_DATABASE)
# Former secret keys, still accepted for signatures and for decrypting stored secrets (key rotation).
SECRET_KEY_FALLBACKS = config.secret_key_fallbacks(env)
# Private networks everyone's notification targets may reach (e.g. a LAN ntfy server); empty: none.
OUTBOUND_ALLOWED_NETWORKS = config.networks(env, "REVENGE_OUTBOUND_ALLOWED_NETWORKS", [])
# Like paperless-ngx: a home server is reached by LAN names and addresses nobody can list up front.
ALLOWED_HOSTS = env.list("REVENGE_ALLOWED_HOSTS", ["*"])
TRUSTED_PROXIES = config.networks(env, "REVENGE_TRUSTED_PROXIES", ["127.0.0.1/32", "::1/128"])
# /metrics without a token: these client addresses only (after trusted proxies); with one, REVENGE_METRICS_TOKEN.
METRICS_ALLOW = config.networks(env, "REVENGE_METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])
METRICS_TOKEN = config.metrics_token(env)
RATE_LIMIT = env.str("REVENGE_RATE_LIMIT", "600/min") or "600/min"
AUTH_RATE_LIMIT = env.str("REVENGE_AUTH_RATE_LIMIT", "10/min") or "10/min"
CSRF_TRUSTED_ORIGINS = env.list("REVENGE_CSRF_TRUSTED_ORIGINS", [])
PORT = env.int("REVENGE_PORT", 8000, minimum=1, maximum=65535)
ADMIN_PASSWORD = env.str("REVENGE_ADMIN_PASSWORD")
TIME_ZONE = config.time_zone(env)
PROFILING = env.bool("REVENGE_PROFILING", False)
LOG_LEVEL = env.str("REVENGE_LOG_LEVEL", "INFO").upper() or "INFO"
LOG_FORMAT = env.str("REVENGE_LOG_FORMAT", "plain").lower() or "plain"
if LOG_FORMAT not in ("plain", "json"):
    env.problem("revenge.E050", f"REVENGE_LOG_FORMAT={LOG_FORMAT!r} is not one of plain, json.")
    LOG_FORMAT = "plain"
# A worker serves its own /metrics here (task durations, transcodes, deliveries); 0: it serves none.
WORKER_METRICS_PORT = env.int("REVENGE_WORKER_METRICS_PORT", 0, minimum=0, maximum=65535)
# A worker traces its allocations keeping this many frames each, for `manage.py worker_memory`; 0: off.
TRACEMALLOC_FRAMES = env.int("REVENGE_TRACEMALLOC", 0, minimum=0, maximum=100)
TASK_RUN_RETENTION_DAYS = env.int("REVENGE_TASK_RUN_RETENTION_DAYS", 30, minimum=1)
SCAN_STALE_MINUTES = env.int("REVENGE_SCAN_STALE_MINUTES", 15, minimum=1)
# An incremental scan skips folders whose times are unchanged while the last scan that stat'ed every file is
# younger than this; 0: every scan stats every file (for mounts whose folder times do not move, e.g. some FUSE).
SCAN_VERIFY_HOURS = env.int("REVENGE_SCAN_VERIFY_HOURS", 24, minimum=0)
PROBE_SIZE = env.int("REVENGE_PROBE_SIZE", 5_000_000, minimum=32_768)
PROBE_ANALYZE_MS = env.int("REVENGE_PROBE_ANALYZE_MS", 5_000, minimum=0)
PROBE_TIMEOUT = env.int("REVENGE_PROBE_TIMEOUT", 30, minimum=1)
WATCH_STABLE_SECONDS = env.float("REVENGE_WATCH_STABLE_SECONDS", 2.0, minimum=0.0)
NOTIFY_RETRY_SECONDS = env.float("REVENGE_NOTIFY_RETRY_SECONDS", 60.0, minimum=0.01)
# First wait before an approved request is sent to a Radarr/Sonarr that did not answer; doubled each time, 5 retries.
REQUEST_RETRY_SECONDS = env.float("REVENGE_REQUEST_RETRY_SECONDS", 30.0, minimum=0.01)
SMTP_URL = env.str("REVENGE_SMTP_URL")
PUBLIC_URL = env.str("REVENGE_PUBLIC_URL")
# nginx in front: it sends the file bytes from this internal location (X-Accel-Redirect) once we said yes.
ACCEL_REDIRECT_PREFIX = env.str("REVENGE_ACCEL_REDIRECT_PREFIX", "")
# Playback: HLS output, its limits and the hardware encoder (apps/playback).
TRANSCODE_DIR = Path(env.str("REVENGE_TRANSCODE_DIR", str(DATA_DIR / "transcode")) or DATA_DIR / "transcode").resolve()
# Folders outside the libraries that library files may be links into (download or debrid mounts).
LINK_TARGETS = config.folders(env, "REVENGE_LINK_TARGETS")
TRANSCODE_IDLE_MINUTES = env.int("REVENGE_TRANSCODE_IDLE_MINUTES", 30, minimum=1)
MAX_TRANSCODES = env.int("REVENGE_MAX_TRANSCODES", 4, minimum=0)
HWACCEL = env.str("REVENGE_HWACCEL", "none").lower() or "none"
if HWACCEL not in ("none", "nvenc", "qsv", "vaapi"):
    env.problem("revenge.E014", f"REVENGE_HWACCEL={HWACCEL!r} is not one of none, nvenc, qsv, vaapi.")
    HWACCEL = "none"
WATCHED_PERCENT = env.int("REVENGE_WATCHED_PERCENT", 90, minimum=1, maximum=100)
# Metadata and artwork from The Movie Database (apps/metadata); with neither key nor token, lookups are off.
TMDB_API_KEY = env.str("REVENGE_TMDB_API_KEY")
TMDB_TOKEN = env.str("REVENGE_TMDB_TOKEN")
TMDB_URL = (env.str("REVENGE_TMDB_URL", "https://api.themoviedb.org/3") or "https://api.themoviedb.org/3").rstrip("/")
TMDB_IMAGE_URL = (
    env.str("REVENGE_TMDB_IMAGE_URL", "https://image.tmdb.org/t/p") or "https://image.tmdb.org/t/p"
).rstrip("/")
# Requests per second to TMDb, shared by every worker (a Redis token bucket).
TMDB_RATE_LIMIT = env.float("REVENGE_TMDB_RATE_LIMIT", 40.0, minimum=0.1)
METADATA_LANGUAGE = env.str("REVENGE_METADATA_LANGUAGE", "en-US") or "en-US"
METADATA_COUNTRY = (env.str("REVENGE_METADATA_COUNTRY", "US") or "US").upper()
METADATA_REFRESH_DAYS = env.int("REVENGE_METADATA_REFRESH_DAYS", 30, minimum=1)
IMAGES_DIR = DATA_DIR / "images"

INSTALLED_APPS = [
    # First: its templates (admin/base_site.html, the dashboard) win over the admin's own.
    "apps.console",
    # The admin without discovery at start-up (apps/core/admin_app.py), with the console's site (apps/console).
    "apps.console.admin_app.ConsoleAdminConfig",
    # Before auth: its `changepassword` command replaces Django's, to end old sessions and tokens too.
    "apps.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prometheus",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "guardian",
    "axes",
    "auditlog",
    "apps.core",
    "apps.libraries",
    "apps.media",
    "apps.metadata",
    "apps.scanning",
    "apps.audit",
    "apps.playback",
    "apps.notifications",
    "apps.requests",
    "apps.web",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Early, so every later log line of the request carries its id (and the trace id when tracing).
    "apps.core.middleware.RequestIdMiddleware",
    # Selectors called several times in a request (visibility, limits, IP rules) read the cache once.
    "apps.core.request_memo.RequestMemoMiddleware",
    # Probes come from kubelets and load balancers that use the pod IP as Host: answer before host checks.
    "apps.core.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After static files: one cache round trip for the versions that the rest of the request reads.
    "apps.accounts.middleware.CacheVersionsMiddleware",
    "apps.accounts.ip_rules.IPRuleMiddleware",
    "apps.accounts.middleware.SessionActivityMiddleware",
    "apps.audit.middleware.ActivityContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last before metrics: turns a request that tripped the lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
if PROFILING:
    MIDDLEWARE.insert(-1, "apps.core.profiling.ProfilingMiddleware")

ROOT_URLCONF = "revenge.urls"
WSGI_APPLICATION = "revenge.wsgi.application"
ASGI_APPLICATION = "revenge.asgi.application"

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
                "apps.web.nav.web_frame",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"  # the web app signs viewers in; the console keeps its own /admin/login/
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out usernames and addresses before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the session's user read from the cache under the user's scope.
    "apps.accounts.backends.CachedModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "AnonymousUser" row: anonymous visitors see nothing, so they need no grants.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify and are upgraded to Argon2 at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "apps.core.storage.StaticStorage"},
}

# Lockout: django-axes decides with Revenge's tiered handler (apps.accounts.services.lockout), state in the database.
AXES_HANDLER = "apps.accounts.services.lockout.TieredLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "apps.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.services.lockout.lockout_response"
AXES_LOCKOUT_PARAMETERS = config.lockout_parameters(env)
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to the activity log instead
AXES_RESET_ON_SUCCESS = False  # the handler resets what a success may reset (not the client IP's count)
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # axes' own attempt tables stay empty; the admin shows *Login lockouts* instead
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # refused attempts are not counted, and are flagged
LOCKOUT_TIERS = ((5, timedelta(minutes=15)), (10, timedelta(hours=1)), (20, None))  # None: until unlocked
# From these networks a username is locked per username+IP: a lock earned elsewhere does not lock them out.
LOCKOUT_TRUSTED_NETWORKS = config.lockout_trusted_networks(env)
LOCKOUT_FORGET_HOURS = env.int("REVENGE_LOCKOUT_FORGET_HOURS", 24, minimum=1)

# Activity log: django-auditlog writes model changes into audit.Activity, beside auth and security events.
AUDITLOG_LOGENTRY_MODEL = "audit.Activity"
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_USE_FK_STRING_REPRESENTATION = True  # "role: moderator", not "role: 2"
AUDIT_RETENTION_DAYS = env.int("REVENGE_AUDIT_RETENTION_DAYS", 90, minimum=1)

# Cache: Redis when configured, otherwise files in the data dir, which every local process shares.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_prometheus.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "revenge",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django_prometheus.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": "revenge",
            # Django's default (300) culls a third of the entries, scope versions included, on a busy day.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# The table stays the record (devices, sign out everywhere); each request reads the session from the cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy (the production setup): trust its X-Forwarded-Proto, send cookies over
# HTTPS only, redirect plain HTTP and send HSTS. Health probes are answered before any of this.
BEHIND_TLS_PROXY = env.bool("REVENGE_BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("REVENGE_SECURE_COOKIES", BEHIND_TLS_PROXY)
SECURE_SSL_REDIRECT = env.bool("REVENGE_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]  # scraped over the cluster network, not through the proxy
SECURE_HSTS_SECONDS = env.int("REVENGE_HSTS_SECONDS", 31_536_000 if BEHIND_TLS_PROXY else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("REVENGE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.bool("REVENGE_HSTS_PRELOAD", False)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading commits a whole domain to HTTPS in browsers for months; an operator opts in, Django's hint aside.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Celery: Redis as broker and result store in production; kombu's filesystem transport on the embedded default.
CELERY_DATA_DIR = DATA_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600, "socket_connect_timeout": 2}
else:
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("REVENGE_TASK_TIME_LIMIT", 3600, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT - 30, 5)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Deliveries wait on their own queue, so a long scan never holds a notification up; transcodes have theirs, so
# workers for them can run on the machine with the GPU (workers: -Q celery,notifications,transcode).
CELERY_TASK_ROUTES = {"notifications.*": {"queue": "notifications"}, "playback.transcode": {"queue": "transcode"}}
CELERY_BEAT_SCHEDULE = {
    "core.task_runs_prune": {"task": "core.task_runs_prune", "schedule": timedelta(hours=6)},
    "libraries.scan_due": {"task": "libraries.scan_due", "schedule": timedelta(minutes=5)},
    "audit.activity_prune": {"task": "audit.activity_prune", "schedule": timedelta(hours=24)},
    "accounts.lockouts_prune": {"task": "accounts.lockouts_prune", "schedule": timedelta(hours=1)},
    "accounts.sessions_prune": {"task": "accounts.sessions_prune", "schedule": timedelta(hours=24)},
    "notifications.sweep": {"task": "notifications.sweep", "schedule": timedelta(minutes=1)},
    "notifications.digests": {"task": "notifications.digests", "schedule": timedelta(hours=1)},
    "media.duplicates_refresh_all": {"task": "media.duplicates_refresh_all", "schedule": timedelta(hours=6)},
    "playback.sessions_idle_stop": {"task": "playback.sessions_idle_stop", "schedule": timedelta(minutes=1)},
    "requests.poll": {"task": "requests.poll", "schedule": timedelta(minutes=15)},
    # New items a scan's task missed, failed lookups whose retry time came, metadata older than METADATA_REFRESH_DAYS.
    "metadata.refresh_due": {"task": "metadata.refresh_due", "schedule": timedelta(minutes=15)},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    # Counters live in the cache (Redis in production), so every web process and pod shares them.
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.api.throttling.ClientIPRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"ip": RATE_LIMIT, "auth": AUTH_RATE_LIMIT},
    "DEFAULT_RENDERER_CLASSES": ["apps.core.api.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Revenge API",
    "DESCRIPTION": "Self-hosted media management: libraries, requests, playback and more.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "GET_LIB_DOC_EXCLUDES": "apps.core.api.schema.lib_doc_excludes",
    # Swagger UI assets come from the installed sidecar package: a home server may have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LibraryKindEnum": "apps.libraries.models.Library.Kind",
        "ScanKindEnum": "apps.libraries.models.LibraryScan.Kind",
        "ScanStatusEnum": "apps.libraries.models.LibraryScan.Status",
        "PlaybackMethodEnum": "apps.playback.models.PlaybackSession.Method",
        "MediaRequestKindEnum": "apps.requests.models.MediaRequest.Kind",
        "MediaRequestStatusEnum": "apps.requests.models.MediaRequest.Status",
    },
}

LOG_FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
    "json": {"()": "apps.core.logcontext.json_formatter"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Only the formatter in use is built: python-json-logger is loaded when REVENGE_LOG_FORMAT=json only.
    "formatters": {LOG_FORMAT: LOG_FORMATTERS[LOG_FORMAT]},
    # Credentials in URLs (?token=, ?apikey=, ?api_key=) are redacted from every line (apps.core.access_log);
    # every line carries the request id, and the trace and span ids when tracing (apps.core.logcontext).
    "filters": {
        "redact": {"()": "apps.core.access_log.RedactQueryFilter"},
        "context": {"()": "apps.core.logcontext.ContextFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["redact", "context"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Read by apps.core.checks: problems met while parsing the environment above.
REVENGE_CONFIG_PROBLEMS = env.problems
