"""mpro settings: one file, configured by environment variables.

Every variable is listed in README.md. The defaults make `make run` work on a bare machine
(SQLite, tasks in-process, e-mails on the console); production sets DEBUG=0 and must then
provide SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

import importlib.util
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mpro.apiconf import SPECTACULAR, rest_framework
from mpro.celeryconf import beat_schedule, task_queue_kinds
from mpro.env import database_from_env, env_bool, env_float, env_int, env_list, env_not_blank, env_str
from mpro.headers import content_security_policy
from mpro.logconfig import logging_config, sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG or TESTING else "")
if not (ALLOWED_HOSTS or DEBUG or TESTING):
    # Django would only say so at the first request, as a 400 for every page.
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty. With DEBUG off, list the host names the site answers to, "
        "comma-separated (e.g. ALLOWED_HOSTS=mpro.example)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# How many reverse proxies of ours stand in front of the app. X-Forwarded-For is believed only
# as far as they wrote it (mpro.clientip); 0 ignores it. DRF and allauth read the same number.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "oauth2_provider",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "mpro",
    "users",
    "companies",
    "vehicles",
    "packs",
    "telematics",
    "commands",
    "trips",
    "maintenance",
    "integrations",
    "jobs",
    "driverapp",
    "alerts",
    "retail",
    "helpcentre",
    "privacy",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "mpro.logs.RequestIdMiddleware",
    # NUL characters in the path, query or form: 400 before any view, filter or query sees them.
    "mpro.input_guard.InputGuardMiddleware",
    "mpro.health.OperationsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mpro.headers.PermissionsPolicyMiddleware",
    "mpro.headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "users.middleware.UserLanguageMiddleware",
    "companies.middleware.CompanyTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "mpro.urls"
WSGI_APPLICATION = "mpro.wsgi.application"

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
                "companies.context_processors.tenancy",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(BASE_DIR)}
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "retail.auth.StaffLockBackend",  # a locked dealer ID stays locked at every password door
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
if TESTING:
    # Hashing with PBKDF2 would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("da", _("Danish")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates in European order (22/11/2026), as our customers read them.
FORMAT_MODULE_PATH = ["mpro.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet is served from the django-leaflet package's own static files. The package is not an
# installed app: its admin and form widgets need GeoDjango (GDAL), which mpro does not use.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    Path(importlib.util.find_spec("leaflet").origin).parent / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Redis: Celery broker and cache ----------------------------------------------------------
if not DEBUG:
    env_not_blank(
        "REDIS_URL",
        "Set it to the broker, e.g. redis://redis:6379/0 (without it, tasks would run inside web requests).",
    )
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # The cache (rate limits, throttles) lives in its own Redis database, away from the broker's.
    REDIS_CACHE_URL = env_str("REDIS_CACHE_URL") or urlsplit(REDIS_URL)._replace(path="/1").geturl()
    if TESTING:
        # Each parallel test process clears its cache before every test: give each its own database
        # (4, 5, ...) so one never wipes another's rate-limit counters.
        worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
        REDIS_CACHE_URL = urlsplit(REDIS_URL)._replace(path=f"/{4 + worker % 12}").geturl()
    CACHES = {"default": {"BACKEND": "mpro.cache.ResilientRedisCache", "LOCATION": REDIS_CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache (Redis) and written through to the database: a page's first
# round trip is a Redis GET instead of a query. Sessions survive a cache flush (read back from the
# database) and Redis being down (mpro.cache falls back to the database read).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# How long a process keeps what every request reads of the catalogue (packs.selectors: which fuels
# a service runs on); a save in the same process forgets it at once. Off in tests, where each test
# builds its own catalogue (the tests of the cache switch it on).
CATALOGUE_CACHE_SECONDS = 0 if TESTING else env_int("CATALOGUE_CACHE_SECONDS", 30)
# A bulk load of this many rows analyses its table when it commits (mpro/statistics.py).
BULK_ANALYZE_ROWS = env_int("BULK_ANALYZE_ROWS", 1000)
# How long an API token and its caller's tenancy stay in the shared cache (users.tokencache); any
# change to them forgets them at once. 0 turns the cache off.
TOKEN_CACHE_SECONDS = env_int("TOKEN_CACHE_SECONDS", 300)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "mpro")
# Queues by kind, and beat's schedule: mpro/celeryconf.py.
TASK_QUEUE_KINDS = task_queue_kinds()
CELERY_TASK_ROUTES = ("mpro.celery.route_task",)
# The broker keeps an unacknowledged message this long before handing it to another worker. It must
# outlast the longest wait a worker holds a message for: a retry's countdown (capped at 300 s) plus
# the longest task (the import of the largest CSV, well under a minute), with margin: 600 s. Work
# stranded by a killed worker is picked up sooner by the sweepers (outbox, activations).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
# A web request must not hang on a dead broker: try briefly, then leave the message to the outbox.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = beat_schedule(report_seconds=env_int("TELEMATICS_REPORT_SECONDS", 60))
# An `activation_pending` subscription untouched this long has lost its task: the sweeper enqueues
# it again. Longer than a normal activation (seconds), shorter than the broker's visibility timeout,
# so a killed worker's activations resume within about three minutes, not ten.
ACTIVATION_SWEEP_AFTER = env_int("ACTIVATION_SWEEP_AFTER", 150)

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mpro <no-reply@mpro.example>")

# --- Accounts (django-allauth) ---------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "users.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[mpro] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
if TESTING:
    ACCOUNT_RATE_LIMITS = False  # allauth's defaults stay on everywhere but in the test suite
# "Log in with Mercedes me": an OpenID Connect provider, on only when configured. Only the subject
# identifier and the e-mail address are taken from it (integrations.mercedes_me).
MERCEDES_ME_ISSUER = env_str("MERCEDES_ME_ISSUER")
MERCEDES_ME_CLIENT_ID = env_str("MERCEDES_ME_CLIENT_ID")
MERCEDES_ME_SECRET = env_str("MERCEDES_ME_SECRET")
SOCIALACCOUNT_ADAPTER = "integrations.mercedes_me.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if MERCEDES_ME_ISSUER and MERCEDES_ME_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": "mercedes-me",
            "name": "Mercedes me",
            "client_id": MERCEDES_ME_CLIENT_ID,
            "secret": MERCEDES_ME_SECRET,
            "settings": {"server_url": MERCEDES_ME_ISSUER, "scope": ["openid", "email"]},
        }
    )
LOGIN_REDIRECT_URL = "/dashboard/"
LOGIN_URL = "/accounts/login/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# --- Product rules kept as settings ------------------------------------------------------------
TERMS_OF_USE_VERSION = "2026-01"
PACK_TERMS_VERSION = "2026-01"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
ATTESTATION_HOURS = 8
SUPPORT_SESSION_MINUTES = 60
SUPPORT_PASSWORD_MAX_FAILURES = 5
SUPPORT_PASSWORD_WINDOW_MINUTES = 15
# FAQ 8: a verified person who changes name or date of birth is unverified again; the company's live
# services keep running this many days while the dealer checks the ID again (then the daily task
# pauses them until the dealer has).
VERIFICATION_GRACE_DAYS = env_int("VERIFICATION_GRACE_DAYS", 30)
# Wrong support passwords per staff member, whatever the company (retail.services).
SUPPORT_PASSWORD_STAFF_MAX_FAILURES = env_int("SUPPORT_PASSWORD_STAFF_MAX_FAILURES", 10)
SUPPORT_PASSWORD_STAFF_WINDOW_HOURS = env_int("SUPPORT_PASSWORD_STAFF_WINDOW_HOURS", 24)
# Password lock-outs of the customer login and the API token endpoint (users.lockout): failures
# per account (normalised e-mail, whatever the host or address) and per client address.
LOGIN_LOCK_FAILURES = env_int("LOGIN_LOCK_FAILURES", 10)
LOGIN_LOCK_ADDRESS_FAILURES = env_int("LOGIN_LOCK_ADDRESS_FAILURES", 50)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
VEHICLE_IMPORT_MAX_BYTES = env_int("VEHICLE_IMPORT_MAX_BYTES", 5 * 1024 * 1024)

# Telematics backend (emulated). See vehicles/telematics/ and telematics/.
TELEMATICS_BACKEND = env_str("TELEMATICS_BACKEND", "vehicles.telematics.EmulatedBackend")
TELEMATICS_LATENCY_MS = env_int("TELEMATICS_LATENCY_MS", 0 if TESTING else 300)
TELEMATICS_FAILURE_RATE = env_float("TELEMATICS_FAILURE_RATE", 0.0 if TESTING else 0.05)
TELEMATICS_SEED = env_str("TELEMATICS_SEED", "mpro")
# The emulated backend keeps its records on a connection of its own, outside mpro's transactions
# (as a real backend would). SQLite has one writer at a time, so there it shares `default`.
if USING_POSTGRES:
    DATABASES["telematics"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
TELEMATICS_DB_ALIAS = env_str(
    "TELEMATICS_DB_ALIAS", "telematics" if USING_POSTGRES and not TESTING else "default"
)
TELEMATICS_STALE_MINUTES = env_int("TELEMATICS_STALE_MINUTES", 15)
TELEMATICS_REPORT_SECONDS = env_int("TELEMATICS_REPORT_SECONDS", 60)
TELEMATICS_TIME_SCALE = env_float("TELEMATICS_TIME_SCALE", 1.0)
# A parked van appends a reading at most this often (a moving one at every report).
TELEMATICS_HEARTBEAT_MINUTES = env_int("TELEMATICS_HEARTBEAT_MINUTES", 15)
TELEMATICS_RETENTION_DAYS = env_int("TELEMATICS_RETENTION_DAYS", 90)
TELEMATICS_BATCH_SIZE = env_int("TELEMATICS_BATCH_SIZE", 2000)

# Maps (fleet map, geofences, dealer finder): Leaflet from django-leaflet, tiles from this server.
# With tiles unreachable the maps still show their markers on a plain background.
# Tests never reach out: their tiles point at a closed local port, so maps show a plain background.
MAP_TILES_URL = env_str(
    "MAP_TILES_URL",
    "http://127.0.0.1:9/{z}/{x}/{y}.png" if TESTING else "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
)
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
# Alerts (alerts/): geofences a company may draw.
ALERTS_MAX_GEOFENCES = env_int("ALERTS_MAX_GEOFENCES", 50)

# Remote commands (commands/): a command the van has not answered within this many seconds expires.
COMMAND_TTL_SECONDS = env_int("COMMAND_TTL_SECONDS", 120)
# What the charge-time warning assumes: usable battery and charging power at / away from the wallbox.
COMMAND_BATTERY_KWH = env_float("COMMAND_BATTERY_KWH", 90.0)
COMMAND_WALLBOX_CHARGING_KW = env_float("COMMAND_WALLBOX_CHARGING_KW", 11.0)
COMMAND_AWAY_CHARGING_KW = env_float("COMMAND_AWAY_CHARGING_KW", 2.3)

# Maintenance management (maintenance/): a van's level from its service-due counters. "soon" when
# either counter is at or below the SOON threshold, "due" at or below the DUE one, "overdue" below 0.
MAINTENANCE_SOON_DAYS = env_int("MAINTENANCE_SOON_DAYS", 30)
MAINTENANCE_SOON_KM = env_int("MAINTENANCE_SOON_KM", 3000)
MAINTENANCE_DUE_DAYS = env_int("MAINTENANCE_DUE_DAYS", 7)
MAINTENANCE_DUE_KM = env_int("MAINTENANCE_DUE_KM", 500)

# --- Data interface (OAuth2 client credentials, django-oauth-toolkit) ---------------------------
OAUTH2_PROVIDER = {
    "SCOPES": {
        "vehicles:read": "List the vans that have the data interface",
        "signals:read": "Read the vans' signals",
    },
    "DEFAULT_SCOPES": ["vehicles:read", "signals:read"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("DATA_TOKEN_SECONDS", 3600),
    "OAUTH2_VALIDATOR_CLASS": "integrations.oauth.DataClientValidator",
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 security best practice) enforced rather than merely warned about. mpro only
    # issues client-credentials tokens; the rest matters if an authorisation-code client is ever added.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if DEBUG else ["https"],
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # tokens stored as hashes, like client secrets
}
# Named explicitly: migrations that point at the Application model depend on this setting.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# --- Webhooks ------------------------------------------------------------------------------------
# Tests and DEBUG may deliver to a receiver on this machine; production refuses every address that
# is not public (integrations.ssrf).
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", DEBUG)
WEBHOOKS_TIMEOUT_SECONDS = env_float("WEBHOOKS_TIMEOUT_SECONDS", 5.0)
WEBHOOKS_DISABLE_AFTER_DAYS = env_int("WEBHOOKS_DISABLE_AFTER_DAYS", 3)

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = rest_framework(TRUSTED_PROXY_COUNT)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SPECTACULAR_SETTINGS = SPECTACULAR

# Browser features the portal never uses are off for it and for anything it embeds (mpro/headers.py).
_UNUSED_FEATURES = "accelerometer camera geolocation gyroscope magnetometer microphone payment usb"
PERMISSIONS_POLICY = {feature: [] for feature in _UNUSED_FEATURES.split()}

# Content-Security-Policy on every response (django-csp's middleware; issue 17, item 20): only this
# site's scripts, styles, fonts, fetches, worker and manifest; map tiles from MAP_TILES_URL's origin;
# forms post here (and to the Mercedes me issuer when configured). Built in mpro.headers.
CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILES_URL, MERCEDES_ME_ISSUER)

# --- Production hardening (active when DEBUG is off) -------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# --- Operations: logs, metrics, error reports, retention ---------------------------------------
# JSON lines with the request id in production; plain (still redacted) lines in development.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
# Workers log through the same configuration (JSON, request id) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /metrics: allowed with `Authorization: Bearer <METRICS_TOKEN>` or from these networks.
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
METRICS_REDIS_URL = env_str("METRICS_REDIS_URL")  # default: REDIS_URL (the broker's database)

# Retention in days, per kind of data (README "Privacy"); `purge_expired` runs daily.
RETENTION_AUDIT_EVENTS_DAYS = env_int("RETENTION_AUDIT_EVENTS_DAYS", 1095)
RETENTION_SUPPORT_SESSIONS_DAYS = env_int("RETENTION_SUPPORT_SESSIONS_DAYS", 365)
RETENTION_JOBS_DAYS = env_int("RETENTION_JOBS_DAYS", 365)
# Service appointments: a year after the proposed date.
RETENTION_APPOINTMENTS_DAYS = env_int("RETENTION_APPOINTMENTS_DAYS", 365)
# Trips are tax records (the German logbook: 10 years); private-mode periods say only when.
RETENTION_TRIPS_DAYS = env_int("RETENTION_TRIPS_DAYS", 3650)
RETENTION_PRIVATE_MODE_DAYS = env_int("RETENTION_PRIVATE_MODE_DAYS", 90)
# A trip can be classified for this many days after it ended, then it locks (Fahrtenbuch practice).
LOGBOOK_EDIT_DAYS = env_int("LOGBOOK_EDIT_DAYS", 7)
# A company may be closed once no subscription is live; its data then goes at once.
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@mpro.example")

SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN and not TESTING:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )
