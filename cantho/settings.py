"""Settings for the Cần Thơ International Cooperation Portal.

Everything that differs between a laptop and production comes from the
environment (see README, "Configuration"). The defaults are those of a fresh
machine: SQLite, the local-memory cache, DEBUG on only when asked for.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("CANTHO_DEV", False):
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
    else:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    "django_countries",
    "django_filters",
    "cantho",
    "news",
    "partners",
    "events",
    "investments",
    "axes",  # login throttling (see "Security" below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS headers on /api/ only (CORS_URLS_REGEX), before anything that may answer, the page cache included.
    "corsheaders.middleware.CorsMiddleware",
    # Content-Security-Policy on every response (django-csp; settings.CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Early, so that redirects answered by the middleware below (APPEND_SLASH, language) carry it too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # --- faults: the database is down -> a friendly 503 page with Retry-After, never a traceback (cantho/middleware.py).
    "cantho.middleware.DatabaseUnavailableMiddleware",
    # ETag/Last-Modified answered with 304; outside the page cache so it serves cached pages too (issue #5).
    "django.middleware.http.ConditionalGetMiddleware",
    # The anonymous page cache (cantho/cache.py, settings.PAGE_CACHE); before the session: a hit touches nothing else.
    "cantho.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Login throttling (django-axes): must be last; answers a locked-out login with cantho.security.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cantho.urls"
WSGI_APPLICATION = "cantho.wsgi.application"

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
                "cantho.context_processors.alternates",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; a busy timeout instead of
    # "database is locked" when two requests write at once. Connections are kept
    # (CONN_MAX_AGE) as on PostgreSQL: opening one costs SQLite ~3 ms a request
    # (reading the schema of ~100 tables, triggers and indexes, the PRAGMAs, the
    # Python functions and collation registered on it), a fifth of a list page.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://..., locmem:// or dummy://, not {CACHE_URL!r}")

# --- Passwords and login ---------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Languages, time, formats --------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Day-first input and the local display formats per language (cantho/formats/<lang>).
FORMAT_MODULE_PATH = ["cantho.formats"]

# The names the Vietnamese press uses ("Hoa Kỳ", not "Hợp chủng quốc Hoa Kỳ").
COUNTRIES_OVERRIDE = {"US": _("United States")}

# --- Static files and uploads ------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("CANTHO_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o644
# The largest file staff may upload (an image or a PDF), checked by the admin forms (cantho/uploads.py).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
# The form fields of one request apart from files (an article's body and original text, its inlines).
# Files are not counted here: they are bounded by UPLOAD_MAX_BYTES; cap the whole request at the proxy.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ------------------------------------------------------------------------
# Production defaults; DEBUG (local development) relaxes what needs HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_https = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if _https else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Security: CSP, cookies, login throttling (helper "security"; see README "Security") ---
# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. JSON-LD
# (<script type="application/ld+json">) is a data block, never executed, so script-src does not apply to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if _https else {}),
    }
}
CSRF_COOKIE_HTTPONLY = True  # the admin's forms carry the token; no script needs the cookie
LANGUAGE_COOKIE_SECURE = _https
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
BEHIND_PROXY = env_bool("BEHIND_PROXY")
# django-axes: after AXES_FAILURE_LIMIT failed logins for one user name from one address, that
# user name is locked from that address for AXES_COOLOFF_MINUTES; a successful login resets the count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A try during the lock does not restart it, so "try again in N minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "cantho.security.client_ip"
AXES_LOCKOUT_CALLABLE = "cantho.security.lockout_response"

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Project settings ----------------------------------------------------------------------
SEEDS_DIR = BASE_DIR / "seeds"

# --- Open-data API (/api/, app "api") ---------------------------------------------------------
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "corsheaders", "api"]
REST_FRAMEWORK = {
    # Public and read-only: no authentication at all, so no session is read and no cookie set (cacheable).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JSONFallbackNegotiation",  # JSON even for Accept: text/html, never 406
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,  # ?format= belongs to the pages' exports
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cần Thơ International Cooperation Portal API",
    "DESCRIPTION": (
        "Read-only open data of the Department of Foreign Affairs of Cần Thơ city: partners, countries, agreements, events, "
        "investment and aid projects, yearly indicators and the news articles they come from. Published records only. "
        "`?lang=en` for English names and labels (Vietnamese by default)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # vendored by drf-spectacular-sidecar: the docs work offline
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True, "supportedSubmitMethods": ["get"]},
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "partners.models.Partner.Kind",
        "AgreementKindEnum": "partners.models.Agreement.Kind",
        "EventKindEnum": "events.models.Event.Kind",
        "InvestmentStageEnum": "investments.models.Investment.Stage",
        "AidProjectStageEnum": "investments.models.AidProject.Stage",
        "DatePrecisionEnum": "cantho.dates.DatePrecision",
        "ArticleDatePrecisionEnum": "news.models.Article.DatePrecision",
        "CurrencyEnum": "cantho.models.Currency",
    },
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# --- Page cache and scale-out (issue #5; README "Running at scale") -----------------------------------
# The anonymous page cache (cantho/cache.py): on unless PAGE_CACHE=0; pages kept at most PAGE_CACHE_SECONDS.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Local memory is per process; the content version must be shared by every worker of this machine.
    _cache_dir = hashlib.sha256(f"{BASE_DIR}|{DATABASES['default'].get('NAME')}".encode()).hexdigest()[:12]
    CACHES["versions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(Path(tempfile.gettempdir()) / f"cantho-cache-{_cache_dir}")),
    }
    PAGE_CACHE_VERSION_CACHE = "versions"
else:
    PAGE_CACHE_VERSION_CACHE = "default"

# An optional PostgreSQL read replica for anonymous public pages (cantho/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["cantho.db_router.ReplicaRouter"]
    # Seconds after a content change during which public pages still read from the primary.
    DATABASE_REPLICA_LAG = float(os.environ.get("DATABASE_REPLICA_LAG", "5"))

# Uploads on S3-compatible storage (django-storages) with MEDIA_STORAGE=s3; the local disk otherwise.
# Credentials come from the environment as boto3 reads them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}")
# --- Benchmark (helper "bench") ------------------------------------------------------------------
# BENCH_ENDPOINTS=1 routes /bench/hello (cantho/bench.py), the ceiling `make bench` measures against.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)
