"""Settings for GCM Tracker, configured from the environment.

One module for every environment (style guide point 25). Each knob is read through a helper that
raises ImproperlyConfigured on a value it does not understand, so a typo in production stops the
process instead of silently falling back to a default.
"""

import datetime
import importlib.util
import os
import re
import zoneinfo
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise ImproperlyConfigured(f"{name} must be at least {minimum}{upper}, not {raw!r}.")
    return value


def env_http_url(name: str, default: str) -> str:
    raw = os.environ.get(name, default).strip()
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"{name} must be an http:// or https:// address, not {raw!r}.")
    return raw


def env_dotted_path(name: str, default: str) -> str:
    """The dotted path of a class, e.g. a mail backend; refused unless it can be imported."""
    raw = os.environ.get(name, "").strip() or default
    module, _, attribute = raw.rpartition(".")
    try:
        found = isinstance(getattr(importlib.import_module(module), attribute, None), type)
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ImproperlyConfigured(f"{name} must be the dotted path of a class, not {raw!r}.")
    return raw


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see README.md, Configuration)."
        )
    # Only ever used with DEBUG on, on a developer's own machine; never a production secret.
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "gcm_tracker.tracker",
    "gcm_tracker.dashboards",
    "gcm_tracker.api",
    "gcm_tracker.accounts",
    "gcm_tracker.workspace",
    "gcm_tracker.ops",
    "gcm_tracker.briefings",
    "gcm_tracker.follow",
    # Languages: the middleware, the language menu, localised country names, compilemessages.
    "gcm_tracker.i18n",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files from the app itself, so gunicorn needs no web server in front.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Request id and access log; then health checks, answered before the Host header is checked.
    "gcm_tracker.ops.middleware.RequestIdMiddleware",
    "gcm_tracker.ops.middleware.HealthCheckMiddleware",
    # Near the top, so that its Cache-Control is the last word on an answer to a token.
    "gcm_tracker.api.middleware.TokenAnswersAreNotStoredMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Links in e-mails sent while handling a request carry the address it came to.
    "gcm_tracker.ops.site_address.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's language (?lang=, cookie, profile, Accept-Language), in place of Django's
    # LocaleMiddleware; after authentication, as a signed-in user's profile language counts.
    "gcm_tracker.i18n.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers 503 with Retry-After when a view finds the database unreachable.
    "gcm_tracker.ops.middleware.DatabaseUnavailableMiddleware",
    # Records who made each edit in the model histories.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# The benchmark swaps in bench.urls, which adds its floor view to the site's URLs.
ROOT_URLCONF = os.environ.get("DJANGO_ROOT_URLCONF", "").strip() or "gcm_tracker.urls"
if importlib.util.find_spec(ROOT_URLCONF.partition(".")[0]) is None:
    raise ImproperlyConfigured(f"DJANGO_ROOT_URLCONF must name a module, not {ROOT_URLCONF!r}.")

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
                "gcm_tracker.i18n.context.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "gcm_tracker.wsgi.application"


def _database_from_url(url: str) -> dict:
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Django understands: {exc}"
        ) from exc
    return _with_engine_options(config)


def _database_from_parts(host: str) -> dict:
    """PostgreSQL from POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER and
    POSTGRES_PASSWORD, named and defaulted as the postgres image does. No URL is built, so the
    password may hold any character (`@`, `/`, `#`, `%`), which a URL would have to encode."""
    user = os.environ.get("POSTGRES_USER", "").strip() or "postgres"
    return _with_engine_options(
        {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": host,
            "PORT": POSTGRES_PORT,
            "NAME": os.environ.get("POSTGRES_DB", "").strip() or user,
            "USER": user,
            "PASSWORD": os.environ.get("POSTGRES_PASSWORD", ""),
        }
    )


def _with_engine_options(config: dict) -> dict:
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when the server is unreachable instead of hanging a worker.
        options = config.setdefault("OPTIONS", {})
        options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
        # Server-side cursors (QuerySet.iterator(): the downloads) are read to their end, but
        # PostgreSQL plans a cursor for its first tenth by default: it walked an index in the
        # list's order testing every row, and a filtered download's rows took 766 ms instead of
        # 74 ms (gcm_bench, N = 200,000). No JIT compilation: it starts on a plan's estimated
        # cost, and the estimate of a query that stops early (what has gone quiet, read by key)
        # is that of reading everything: 255 ms compiling a query that ran in 10. Any `options`
        # of DATABASE_URL are kept.
        options["options"] = (
            f"{options.get('options', '')} -c cursor_tuple_fraction=1 -c jit=off".strip()
        )
        config["CONN_MAX_AGE"] = DATABASE_CONN_MAX_AGE
        config["CONN_HEALTH_CHECKS"] = True
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        # Take the write lock when a transaction begins, so concurrent writers queue up instead of
        # failing with "database is locked" when they upgrade a read lock.
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    return config


# Read whatever the database, so that a bad value is refused before it is first needed.
# libpq takes 0 as "wait for ever": at least 1 second.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", default=5, minimum=1)
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", default=60)
POSTGRES_PORT = env_int("POSTGRES_PORT", default=5432, minimum=1, maximum=65535)
# DATABASE_URL first; else the POSTGRES_* parts when POSTGRES_HOST is set (docker-compose.yml);
# else a SQLite file in the project.
if os.environ.get("DATABASE_URL") or not os.environ.get("POSTGRES_HOST", "").strip():
    _database = _database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
else:
    _database = _database_from_parts(os.environ["POSTGRES_HOST"].strip())
DATABASES = {"default": _database}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, each user's permissions kept in the cache (accounts.permissions).
    "gcm_tracker.accounts.permissions.CachedPermissionsBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so that hashes made before Argon2 still verify (and are upgraded at sign-in).
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "dashboards:dashboard"

# Sign-in lockout: 5 failed attempts for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
# Locked per user name and address together, so a lockout of one account by one address leaves
# other addresses (the account's owner) and other accounts alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address as the API's throttles resolve it (DJANGO_NUM_PROXIES): behind the load balancer
# REMOTE_ADDR is the balancer's, which would make one lockout lock everyone out of an account.
AXES_CLIENT_IP_CALLABLE = "gcm_tracker.ops.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Where the site is served, for links in e-mails sent outside a request (commands, the daily
# digest); e-mails sent while handling a request link to the address it came to (ops.site_address).
SITE_URL = env_http_url("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Mail: through the SMTP server of EMAIL_HOST. Without one, the account and password-reset links
# that mail carries would only be printed to the logs: fine on a developer's machine (DEBUG on),
# refused in production unless DJANGO_EMAIL_BACKEND says so on purpose.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
if os.environ.get("DJANGO_EMAIL_BACKEND", "").strip():
    EMAIL_BACKEND = env_dotted_path("DJANGO_EMAIL_BACKEND", _SMTP)
elif EMAIL_HOST:
    EMAIL_BACKEND = _SMTP
elif DEBUG:
    EMAIL_BACKEND = _CONSOLE
else:
    raise ImproperlyConfigured(
        "EMAIL_HOST must be set when DJANGO_DEBUG is off: without an SMTP server, account and "
        "password-reset links would only be printed to the logs. To do that anyway, set "
        f"DJANGO_EMAIL_BACKEND={_CONSOLE}."
    )
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", default=587, minimum=1, maximum=65535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)


def _email_address(name: str, default: str) -> str:
    raw = os.environ.get(name, default).strip()
    _, address = parseaddr(raw)
    if "@" not in address:
        raise ImproperlyConfigured(
            f"{name} must be an e-mail address, e.g. 'GCM Tracker <no-reply@example.org>', "
            f"not {raw!r}."
        )
    return raw


DEFAULT_FROM_EMAIL = _email_address("DJANGO_DEFAULT_FROM_EMAIL", "GCM Tracker <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ESCAP's working languages. Each is named in itself (not translated), so that the language menu
# reads the same whatever the page's language. Catalogues: locale/<fr|ru|zh_Hans>/LC_MESSAGES/
# (docs/translating.md). How a request's language is chosen: gcm_tracker.i18n.middleware.
# Staff's translations of content are in the columns of tracker/translation.py.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language chosen (by ?lang= or the menu) is kept for a year; it is not personal data, so
# the public page cache still serves a visitor who has it (keyed by the language).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
# Dates and times are shown in one style per language ("19 November 2020"), set in
# gcm_tracker/formats/<language>/formats.py; downloads and the API use ISO 8601.
FORMAT_MODULE_PATH = ["gcm_tracker.formats"]
# ESCAP sits in Bangkok; datetimes are stored in UTC and shown in this zone.
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "").strip() or "Asia/Bangkok"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"DJANGO_TIME_ZONE must be an IANA time zone such as Asia/Bangkok, not {TIME_ZONE!r}."
    ) from None
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The largest report file that `import_report` and the admin's import read (README, Importing).
REPORT_IMPORT_MAX_BYTES = env_int(
    "DJANGO_REPORT_IMPORT_MAX_BYTES", default=10 * 1024 * 1024, minimum=1
)

# What has gone quiet (README, Review meetings): a country cell not updated for this many months,
# or a recommendation's regional status for this many, is listed on /stale/ and flagged
# "no update since …" on its pages.
GCM_STALE_CELL_MONTHS = env_int("DJANGO_STALE_CELL_MONTHS", default=6, minimum=1, maximum=120)
GCM_STALE_RECOMMENDATION_MONTHS = env_int(
    "DJANGO_STALE_RECOMMENDATION_MONTHS", default=12, minimum=1, maximum=120
)


def _throttle_rate(name: str, default: str) -> str:
    """DRF's rate format: requests/period, the period starting with s, m, h or d."""
    raw = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[0-9]+/[smhd][a-z]*", raw):
        raise ImproperlyConfigured(
            f"{name} must be requests per period, e.g. '120/minute' (second, minute, hour or "
            f"day), not {raw!r}."
        )
    return raw


REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The API is read by machines with tokens (the token page, or manage.py create_api_token),
    # stored hashed; no session cookies, so no CSRF to handle.
    "DEFAULT_AUTHENTICATION_CLASSES": ["gcm_tracker.api.authentication.HashedTokenAuthentication"],
    # Closed unless a view says otherwise; the public viewsets allow anyone to read.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["gcm_tracker.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "gcm_tracker.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Counted in the default cache, which production shares between workers (Redis).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _throttle_rate("DJANGO_API_THROTTLE_ANON", "120/minute"),
        "user": _throttle_rate("DJANGO_API_THROTTLE_USER", "600/minute"),
    },
    # Proxies in front of the app (a load balancer): the client address is taken from
    # X-Forwarded-For that many hops back, so each client is throttled on its own. 0 (not None,
    # which makes DRF key on the whole header a client can forge) trusts no forwarded header;
    # gcm_tracker.ops.client_address resolves the address the same way for the rest of the site.
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", default=0),
    "DEFAULT_SCHEMA_CLASS": "gcm_tracker.api.schema.AutoSchema",
    # Content negotiation also chooses the language (?lang=): gcm_tracker.api.languages.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "gcm_tracker.api.languages.LanguageNegotiation",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "GCM Tracker API",
    "DESCRIPTION": (
        "Recommendations of the UN stakeholder consultations on the Global Compact for Migration "
        "in Asia and the Pacific, their implementation status and history, good practices and "
        "follow-up actions. Reading needs no account. Writing needs a token, sent as "
        "`Authorization: Token <key>` (a signed-in user creates theirs on the site's API token "
        "page): contributors record, edit, submit and withdraw their organisations' follow-up "
        "actions and civil-society country assessments; ESCAP staff publish or return them, "
        "record official country assessments and change implementation statuses.\n\n"
        'Errors answer `{"detail": "..."}`, or for invalid input an object keyed by '
        "parameter or field name: 400 invalid filter, page size or body (including a field the "
        "client may not set); 401 unknown or missing token; 403 not allowed; 404 no such "
        "resource or page, or one the token may not see; 405 method not allowed (every resource "
        "but the status change, follow-up actions and country assessments is read-only); 409 "
        "stale version, or an action whose review state does not allow the step; 429 too many "
        "requests (see Retry-After)."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "Data: CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RecommendationStatusEnum": "gcm_tracker.tracker.enums.RecommendationStatus",
        # ?lang= and every text's `…_language` (gcm_tracker.api.languages).
        "LanguageEnum": [code for code, _name in LANGUAGES],
        "SubregionEnum": "gcm_tracker.tracker.enums.Subregion",
        "EscapMembershipEnum": "gcm_tracker.tracker.enums.EscapMembership",
        "StakeholderKindEnum": "gcm_tracker.tracker.enums.StakeholderKind",
        "MeetingFormatEnum": "gcm_tracker.tracker.enums.MeetingFormat",
        "TagKindEnum": "gcm_tracker.tracker.enums.TagKind",
        "ActionTypeEnum": "gcm_tracker.tracker.enums.ActionType",
        "ActionProgressEnum": "gcm_tracker.tracker.enums.ActionProgress",
    },
    # Swagger UI from drf-spectacular-sidecar's files, served by this site: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Production hardening: HTTPS, cookies, security headers, Content Security Policy, the shared
# cache, structured logs and error pages. docs/deploy.md describes every variable read here.


# On when a TLS-terminating proxy or load balancer serves the site over HTTPS: redirects plain
# HTTP, sends HSTS and makes the cookies Secure with the __Host- prefix. Browsers refuse such
# cookies over plain HTTP, so it is off for `make run` and the test suite's live server.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
# Health probes reach the container over plain HTTP, from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]


def _proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto: https` → ("HTTP_X_FORWARDED_PROTO", "https"). Only set it when the
    proxy in front always sets (or strips) that header, or clients could claim HTTPS."""
    if not raw.strip():
        return None
    name, colon, value = raw.partition(":")
    if not colon or not name.strip() or not value.strip():
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', "
            f"not {raw!r}."
        )
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip()


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", ""))
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The preload token does nothing until the domain is submitted to the browsers' preload list.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # __Host-: sent only over HTTPS, only to this host, path /; no other subdomain can set them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlsplit(_origin).scheme not in {"http", "https"} or not urlsplit(_origin).netloc:
        raise ImproperlyConfigured(
            "DJANGO_CSRF_TRUSTED_ORIGINS must list origins such as https://admin.example.org, "
            f"not {_origin!r}."
        )
CSRF_FAILURE_VIEW = "gcm_tracker.ops.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites (evidence links) learn nothing of the page a visitor came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): everything from this site, no inline script or style,
# no eval. Our templates load static/js and static/css files only; the Django admin's templates
# have no inline script either (see docs/deploy.md); /api/docs/interactive/ sends its own,
# equally strict policy, which the middleware leaves in place.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": HTTPS,
    }
}


def _cache_from_url(name: str, url: str) -> dict:
    """redis://host:6379/0 (or rediss://, unix://) for Redis, shared by every app process:
    throttle counts and the dashboard's aggregates. locmem:// (the default) keeps a cache per
    process, dummy:// none."""
    scheme = url.partition("://")[0] if url else "locmem"
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in {"redis", "rediss", "unix"}:
        return {
            # Django's Redis backend; a Redis outage makes cache misses, not errors.
            "BACKEND": "gcm_tracker.ops.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "gcm",
            # A cache that does not answer must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    raise ImproperlyConfigured(
        f"{name} must start with redis://, rediss://, unix://, locmem:// or dummy://, not {url!r}."
    )


_CACHE_URL_NAME, _CACHE_URL = (
    ("CACHE_URL", os.environ["CACHE_URL"])
    if os.environ.get("CACHE_URL")
    else ("REDIS_URL", os.environ.get("REDIS_URL", ""))
)
CACHES = {"default": _cache_from_url(_CACHE_URL_NAME, _CACHE_URL)}


# The task queue (gcm_tracker/celery.py): e-mails, the review digest, the open-data files. Its
# broker is the Redis of the cache unless CELERY_BROKER_URL names another; without a broker
# (`make run`) tasks run at once in the process that queues them, as they do in the tests.
def _broker_url(url: str) -> str:
    if url.partition("://")[0] not in {"redis", "rediss", "redis+socket", "memory"}:
        raise ImproperlyConfigured(
            "CELERY_BROKER_URL must start with redis://, rediss://, redis+socket:// or "
            f"memory://, not {url!r}."
        )
    return url


_BROKER = os.environ.get("CELERY_BROKER_URL", "").strip() or (
    _CACHE_URL if _CACHE_URL.startswith(("redis://", "rediss://")) else ""
)
CELERY_BROKER_URL = _broker_url(_BROKER) if _BROKER else "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not _BROKER)
if not CELERY_TASK_ALWAYS_EAGER and not _BROKER:
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL (or a redis:// CACHE_URL) must be set when CELERY_TASK_ALWAYS_EAGER "
        "is off: the worker and beat need a broker."
    )
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it ends, so one whose worker died runs again: every task is
# idempotent (tracker/tasks.py, dashboards/tasks.py say how).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Nothing reads task results: tasks report through the log and what they write.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing happens after a commit, in a web request: a broker that does not answer must not
# hold it for long (the caller logs the failure; the step itself is saved).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Our JSON log lines, not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Minutes between the beat's checks for changed public data (a build runs only if it moved).
OPEN_DATA_CHECK_MINUTES = env_int("DJANGO_OPEN_DATA_CHECK_MINUTES", 5, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "send-review-digest": {
        "task": "gcm_tracker.tracker.tasks.send_review_digest",
        "schedule": crontab(hour=8, minute=0),
    },
    "build-open-data-if-changed": {
        "task": "gcm_tracker.dashboards.tasks.build_open_data_if_changed",
        "schedule": OPEN_DATA_CHECK_MINUTES * 60.0,
    },
    # Digests of followed lists: daily ones every morning, weekly ones on Mondays.
    "send-follow-digests": {
        "task": "gcm_tracker.follow.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # What has gone quiet: each organisation's and staff's stale items, on the 1st.
    "send-stale-reminders": {
        "task": "gcm_tracker.follow.tasks.send_stale_reminders",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    "remove-old-briefing-packs": {
        "task": "gcm_tracker.briefings.tasks.remove_old_briefing_packs",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Bulk open-data files (dashboards/open_data.py): built by the task queue into this directory,
# which the web processes serve from (a volume shared with the worker in docker-compose.yml).
_OPEN_DATA_DIR = os.environ.get("DJANGO_OPEN_DATA_DIR", "").strip()
if _OPEN_DATA_DIR and not Path(_OPEN_DATA_DIR).is_absolute():
    raise ImproperlyConfigured(
        f"DJANGO_OPEN_DATA_DIR must be an absolute path, not {_OPEN_DATA_DIR!r}."
    )
OPEN_DATA_DIR = Path(_OPEN_DATA_DIR) if _OPEN_DATA_DIR else BASE_DIR / "media" / "open-data"
# How many versions of the files are kept (the newest is listed; older links keep working).
OPEN_DATA_KEEP = env_int("DJANGO_OPEN_DATA_KEEP", 3, minimum=1)

# Briefing packs (briefings/): the worker writes the files here, the web processes serve them
# (a volume shared with the worker, like the open-data files). A pack lists at most
# BRIEFING_PACK_ROWS recommendations and disagreements, and the latest BRIEFING_PACK_ACTIONS
# actions; it says how many more there are online.
_BRIEFING_PACK_DIR = os.environ.get("DJANGO_BRIEFING_PACK_DIR", "").strip()
if _BRIEFING_PACK_DIR and not Path(_BRIEFING_PACK_DIR).is_absolute():
    raise ImproperlyConfigured(
        f"DJANGO_BRIEFING_PACK_DIR must be an absolute path, not {_BRIEFING_PACK_DIR!r}."
    )
BRIEFING_PACK_DIR = (
    Path(_BRIEFING_PACK_DIR) if _BRIEFING_PACK_DIR else BASE_DIR / "media" / "briefing-packs"
)
BRIEFING_PACK_ROWS = env_int("DJANGO_BRIEFING_PACK_ROWS", 200, minimum=1)
BRIEFING_PACK_ACTIONS = env_int("DJANGO_BRIEFING_PACK_ACTIONS", 20, minimum=1)

# On-request downloads of filtered lists: at most this many rows (larger ones are pointed to the
# bulk files and the API), and at most this many at once per client (429 beyond).
DOWNLOAD_MAX_ROWS = env_int("DJANGO_DOWNLOAD_MAX_ROWS", 10_000, minimum=1)
DOWNLOADS_PER_CLIENT = env_int("DJANGO_DOWNLOADS_PER_CLIENT", 2, minimum=1)

# One JSON object per line on stderr, tagged with the request id; tracebacks go to the log only
# (DEBUG is off, so error pages show none).
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "gcm_tracker.ops.logs.RequestIdFilter"},
        "task_arguments": {"()": "gcm_tracker.ops.logs.TaskArgumentsFilter"},
    },
    "formatters": {"json": {"()": "gcm_tracker.ops.logs.JSONFormatter"}},
    "handlers": {
        "json": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "task_arguments"],
        }
    },
    "root": {"handlers": ["json"], "level": LOG_LEVEL},
    # Replaces Django's default handlers (console only with DEBUG, mail to ADMINS).
    "loggers": {"django": {"handlers": ["json"], "level": LOG_LEVEL, "propagate": False}},
}
