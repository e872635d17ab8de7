"""Settings, all from environment variables with safe defaults for the demo.

Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and
the two personal-data keys (NAIKKELAS_PII_KEY, NAIKKELAS_INDEX_KEY); `naikkelas check
--deploy` then passes.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# Runtime files (SQLite database, generated demo keys) live in the working directory's
# var/ unless told otherwise, so an installed package never writes into site-packages.
VAR_DIR = Path(os.environ.get("NAIKKELAS_VAR_DIR", Path.cwd() / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-demo-key-set-DJANGO_SECRET_KEY-in-production-0123456789"
)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# The deployment's home region (a kabupaten/kota code); everything regional is scoped to it.
NAIKKELAS_REGION = os.environ.get("NAIKKELAS_REGION", "35.73")
# Imports: the largest file accepted, and how far a compressed one may expand.
# A file this large has its rows checked by worker processes (intake.checking): one per
# core, at most four, since one process still reads the file and writes what they check.
NAIKKELAS_IMPORT_PARALLEL_BYTES = int(
    os.environ.get("NAIKKELAS_IMPORT_PARALLEL_BYTES", 5 * 1024**2)
)
NAIKKELAS_IMPORT_PROCESSES = int(
    os.environ.get("NAIKKELAS_IMPORT_PROCESSES", min(os.cpu_count() or 1, 4))
)
NAIKKELAS_IMPORT_MAX_BYTES = int(os.environ.get("NAIKKELAS_IMPORT_MAX_BYTES", 100 * 1024**2))
NAIKKELAS_IMPORT_MAX_EXPANDED_BYTES = int(
    os.environ.get("NAIKKELAS_IMPORT_MAX_EXPANDED_BYTES", 1024**3)
)
# An uploaded import file holds NIKs in clear: it is deleted when its import ends, or this
# many hours after upload when its dry run is never confirmed (intake.uploads).
NAIKKELAS_UPLOAD_RETENTION_HOURS = float(os.environ.get("NAIKKELAS_UPLOAD_RETENTION_HOURS", 24))
# A write's key (a form's, an API client's Idempotency-Key) and the answer kept with it
# are forgotten this many days after the write (core.submissions). An offline phone that
# resends within this time writes nothing twice; the kept answers hold masked data only.
NAIKKELAS_IDEMPOTENCY_RETENTION_DAYS = float(
    os.environ.get("NAIKKELAS_IDEMPOTENCY_RETENTION_DAYS", 7)
)
# Photos (products, field visits): the largest upload accepted.
NAIKKELAS_UPLOAD_MAX_BYTES = int(os.environ.get("NAIKKELAS_UPLOAD_MAX_BYTES", 8 * 1024**2))
# ... and the most pixels, checked before decoding: a small file can hold a huge image.
# 40 MP is above what phone cameras save by default; decoded it is about 160 MB.
NAIKKELAS_IMAGE_MAX_PIXELS = int(os.environ.get("NAIKKELAS_IMAGE_MAX_PIXELS", 40_000_000))
# Exports of up to this many rows are answered at once; larger ones run as a job.
NAIKKELAS_EXPORT_INLINE_MAX = int(os.environ.get("NAIKKELAS_EXPORT_INLINE_MAX", 5000))

# The volunteers' offline app (fieldwork): its service worker's version is a hash of what
# it keeps; changing this installs a new version on every phone even when that hash
# stays the same (a new translation of the pages' words, say).
NAIKKELAS_APP_RELEASE = os.environ.get("NAIKKELAS_APP_RELEASE", "1")

# Personal data keys (UU PDP): never SECRET_KEY. When unset, the demo generates
# them once into VAR_DIR; the deploy check refuses that in production.
NAIKKELAS_PII_KEY = os.environ.get("NAIKKELAS_PII_KEY", "")
NAIKKELAS_INDEX_KEY = os.environ.get("NAIKKELAS_INDEX_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "naikkelas.core",
    "naikkelas.regions",
    "naikkelas.accounts",
    "naikkelas.registry",
    "naikkelas.graduation",
    "naikkelas.jobs",
    "naikkelas.intake",
    "naikkelas.dedup",
    "naikkelas.programs",
    "naikkelas.catalog",
    "naikkelas.engagement",
    "naikkelas.portal",
    "naikkelas.monitoring",
    "naikkelas.api",
    "naikkelas.fieldwork",
    # Security and operations (issue 9): login throttling, the CSP header, backup,
    # restore and the personal-data scan.
    "axes",
    "csp",
    "naikkelas.operations",
    # Last: the demo uses every app above.
    "naikkelas.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers static files itself: they carry the header too.
    "naikkelas.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "naikkelas.core.middleware.RequestIdMiddleware",
    "naikkelas.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Issue 9. The CSP header on every response; AxesMiddleware last, as django-axes
    # requires, to turn a locked-out login into the lockout page.
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "naikkelas.urls"
WSGI_APPLICATION = "naikkelas.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'naikkelas.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it, so one that died with a
        # database restart is replaced rather than failing the first request after it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and IMMEDIATE transactions let the web server and a job worker share the file
    # without "database is locked" on the first write of a read transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a write waits for another's lock before "database is locked".
        "timeout": float(os.environ.get("NAIKKELAS_SQLITE_TIMEOUT", 20)),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (recomputes, imports, exports) wait in the database and are run by
# `naikkelas db_worker`, which `make run` starts beside the web server: no broker to run.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# WhiteNoise serves from here (collectstatic fills it in production); it must exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded photos. Django serves them only with DEBUG on; in production the web server
# (nginx `location /media/ { alias $NAIKKELAS_MEDIA_ROOT/; }`) serves this folder.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NAIKKELAS_MEDIA_ROOT", VAR_DIR / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "naikkelas.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's three, with JSON bodies that must be objects (api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "naikkelas.api.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "naikkelas.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Naik Kelas API",
    "DESCRIPTION": "UMKM registry, curation and graduation API. Personal data is masked.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set used by several fields (a business's reported class, a
    # cohort member's class at selection).
    "ENUM_NAME_OVERRIDES": {
        "SizeClassEnum": "naikkelas.registry.models.SizeClass",
        # A legality document's kind, and the certification a milestone records.
        "LegalityKindEnum": "naikkelas.registry.models.LegalityKind",
        "VisitKindEnum": "naikkelas.engagement.models.VisitKind",
        "ComplaintStatusEnum": "naikkelas.engagement.models.ComplaintStatus",
        "BusinessStatusEnum": "naikkelas.registry.models.Status",
    },
    # The default hook, then the error answers every operation can give (api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "naikkelas.api.schema.add_error_responses",
    ],
}

# Production hardening; `check --deploy` is clean once DEBUG is off.
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Security (issue 9) ---------------------------------------------------------------
# Login throttling (django-axes): after NAIKKELAS_LOGIN_FAILURE_LIMIT failed logins for one
# username from one address, that pair is locked out for NAIKKELAS_LOGIN_COOLOFF_MINUTES
# (0: until an administrator runs `naikkelas axes_reset_username NAME`). The pair, not
# the address alone: volunteers behind one office NAT must not lock each other out, and
# not the username alone: a stranger must not be able to lock a volunteer out from afar.
# Owners sign in with their e-mail address or their business's NIB (portal.backends),
# throttled like everyone else: the throttle comes first. "Username" is the account's:
# every identifier of one account, in any case, adds to one count (portal.backends).
AUTHENTICATION_BACKENDS = [
    "naikkelas.accounts.lockout.LoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
    "naikkelas.portal.backends.EmailOrNibBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("NAIKKELAS_LOGIN_FAILURE_LIMIT", "5"))
_cooloff_minutes = int(os.environ.get("NAIKKELAS_LOGIN_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff_minutes) if _cooloff_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "naikkelas.portal.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "naikkelas.accounts.lockout.lockout_response"
# No start-up banner on every command; failures and lockouts are still logged.
AXES_VERBOSE = False
# Behind reverse proxies the client address is in X-Forwarded-For: set how many proxies
# stand in front of the app, or every client looks like the proxy. At 0 the header is
# ignored, so a client cannot forge addresses to dodge the lockout.
NAIKKELAS_PROXY_COUNT = int(os.environ.get("NAIKKELAS_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "naikkelas.accounts.lockout.client_address"
# API tokens (accounts.ApiToken) are refused this many hours after they were issued.
NAIKKELAS_API_TOKEN_TTL_HOURS = int(os.environ.get("NAIKKELAS_API_TOKEN_TTL_HOURS", "24"))

# Content Security Policy (django-csp): only this server's own scripts, styles, images
# and forms; no inline script or style anywhere (templates keep JavaScript in static
# files), no framing. data: images are Swagger UI's icons and htmx needs nothing more.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (core.middleware): the browser features a page may use. Only
# geolocation, for this origin: the business form's "use my current location"
# (registry/static/registry/location.js). Photo uploads are plain file inputs with no
# `capture` attribute, so the camera stays off: the phone's own picker takes the photo.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "geolocation": ["self"],
    **{
        feature: []
        for feature in [
            "accelerometer",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ]
    },
}
# --------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "naikkelas.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("NAIKKELAS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Issue 9: django-axes says four things at INFO on every login; failures and
        # lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}
