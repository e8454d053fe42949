"""Settings for Advocacy Portal, read from the environment (django-environ).

Every value has an embedded default that needs no server (SQLite, a filesystem Celery broker, a
database cache, the console email backend), so `make run` and `make test` work on a fresh machine.
Production sets DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, EMAIL_URL and the security flags; see
README.md for the full list. Configuration mistakes surface as system checks (advocacy_portal.checks).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Core -----------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# The development key only works with DEBUG on; the deploy check (advocacy_portal.checks) refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

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
    "allauth.mfa",
    "allauth.socialaccount",
    # Provider code is always installed; a provider is offered only when its credentials are set
    # (SOCIALACCOUNT_PROVIDERS below lists only those).
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.instagram",
    "allauth.socialaccount.providers.tiktok",
    "allauth.socialaccount.providers.reddit",
    "allauth.socialaccount.providers.doximity",
    "allauth.socialaccount.providers.orcid",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "django_prometheus",
    # django-ninja's templates and static Swagger UI for /api/v1/docs (served locally, no CDN).
    "ninja",
    # Before core: core's admin replaces auditlog's LogEntry admin with an append-only one.
    "auditlog",
    "core",
    "clinicians",
    "learning",
    "campaigns",
    "incentives",
    "reports",
    "api",
    "advocacy_portal",
    "seeding",  # seed_demo and demo_totp_code (seed data, the top layer)
]

MIDDLEWARE = [
    # First and last: request counts and latencies for /metrics (django-prometheus).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.QueryStringValidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivacyHeadersMiddleware",
    "core.middleware.AuditContextMiddleware",
    "api.middleware.ApiTokenLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Before any other page: privileged accounts without TOTP are sent to enrol (issue 20).
    "core.middleware.PrivilegedAccountMfaMiddleware",
    # Connecting a social account may leave for the provider's authorization page (CSP form-action).
    "clinicians.middleware.SocialConnectFormActionMiddleware",
]

ROOT_URLCONF = "advocacy_portal.urls"
WSGI_APPLICATION = "advocacy_portal.wsgi.application"
AUTH_USER_MODEL = "core.User"

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
                "core.context_processors.portal",
                "clinicians.context_processors.role",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# DATABASE_POOLER=pgbouncer: DATABASE_URL reaches PostgreSQL through PgBouncer in transaction pooling
# mode, where consecutive statements outside a transaction may run on different server connections.
# A server-side cursor (QuerySet.iterator() outside atomic) would be declared on one and fetched on
# another, so they are off; persistent client connections stay (PgBouncer pools the server side).
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if DATABASE_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# The primary without the pooler (core.db_routing): `migrate --database direct`, backups.
if env.str("DATABASE_DIRECT_URL", default=""):
    DATABASES["direct"] = env.db("DATABASE_DIRECT_URL") | {"TEST": {"MIRROR": "default"}}
# A streaming replica of the primary, reached directly (server-side cursors work there): report
# builds and staff statistics read it inside core.db_routing.replica_reads(), after waiting up to
# REPLICA_CATCH_UP_SECONDS for it to replay what the primary had committed (else they read the primary).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL") | {
        "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.db_routing.PrimaryReplicaRouter"]
REPLICA_CATCH_UP_SECONDS = env.float("REPLICA_CATCH_UP_SECONDS", default=5.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth rate limits must hold across processes, so never a per-process cache) --------
REDIS_URL = env.str("REDIS_URL", default="")


def redis_cache(url: str) -> dict:
    """django-redis with IGNORE_EXCEPTIONS: while Redis is down a read is a miss and a write is
    dropped (and logged), so pages keep working from the database instead of answering 500. Short
    socket timeouts keep an unreachable Redis from stalling every request. The price: allauth's
    rate limits are not counted during an outage (they fail open, see core.cache), which beats
    refusing every login.
    """
    return {
        "BACKEND": "core.cache.OutageTolerantRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT_SECONDS", default=0.5),
            "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT_SECONDS", default=0.5),
        },
    }


# Every error the cache hides is still logged (logger "django_redis.cache").
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    # Sessions are read from Redis and written through to the database, so a Redis restart logs
    # nobody out, and a Redis outage reads them from the database (a cache miss).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}

# --- Auth and accounts (django-allauth) -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Advocacy Portal] "
ACCOUNT_ADAPTER = "clinicians.account_adapter.ClinicianAccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- Linked social accounts proven by OAuth / OpenID Connect (allauth socialaccount) ---------------
# Social accounts are connected to a signed-in clinician from /profile/social/ (process=connect);
# they never sign anyone up or in (clinicians.social_adapter refuses that). Each provider is offered
# only when SOCIAL_<PROVIDER>_CLIENT_ID and SOCIAL_<PROVIDER>_SECRET are set.
SOCIALACCOUNT_ADAPTER = "clinicians.social_adapter.ProofSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SOCIALACCOUNT_REQUESTS_TIMEOUT", default=10)
# provider key in SOCIALACCOUNT_PROVIDERS, allauth provider id, linked platform, extra app settings
SOCIAL_PROVIDER_CATALOGUE = [
    ("twitter_oauth2", "twitter_oauth2", "x", {}),
    ("openid_connect", "linkedin", "linkedin", {"server_url": "https://www.linkedin.com/oauth"}),
    ("google", "google", "youtube", {}),
    ("facebook", "facebook", "facebook", {}),
    ("instagram", "instagram", "instagram", {}),
    ("tiktok", "tiktok", "tiktok", {}),
    ("reddit", "reddit", "reddit", {}),
]
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
# allauth provider id -> the Platform an account connected through it proves.
SOCIAL_PROVIDER_PLATFORMS: dict[str, str] = {}
for _key, _provider_id, _platform, _extra in SOCIAL_PROVIDER_CATALOGUE:
    _env_name = _provider_id.upper()
    _client_id = env.str(f"SOCIAL_{_env_name}_CLIENT_ID", default="")
    _secret = env.str(f"SOCIAL_{_env_name}_SECRET", default="")
    if not (_client_id and _secret):
        continue
    _app = {"client_id": _client_id, "secret": _secret, "settings": dict(_extra)}
    if _key == "openid_connect":
        _app |= {"provider_id": _provider_id, "name": "LinkedIn"}
    SOCIALACCOUNT_PROVIDERS.setdefault(_key, {"APPS": []})["APPS"].append(_app)
    SOCIAL_PROVIDER_PLATFORMS[_provider_id] = _platform
# A generic OpenID Connect provider (any issuer with a discovery document), e.g. a Mastodon-free
# platform's own OIDC, or the local provider the tests run.
SOCIAL_OIDC_SERVER_URL = env.str("SOCIAL_OIDC_SERVER_URL", default="")
if SOCIAL_OIDC_SERVER_URL and env.str("SOCIAL_OIDC_CLIENT_ID", default=""):
    _provider_id = env.str("SOCIAL_OIDC_PROVIDER_ID", default="oidc")
    SOCIALACCOUNT_PROVIDERS.setdefault("openid_connect", {"APPS": []})["APPS"].append(
        {
            "provider_id": _provider_id,
            "name": env.str("SOCIAL_OIDC_NAME", default="OpenID Connect"),
            "client_id": env.str("SOCIAL_OIDC_CLIENT_ID"),
            "secret": env.str("SOCIAL_OIDC_SECRET", default=""),
            "settings": {"server_url": SOCIAL_OIDC_SERVER_URL, "oauth_pkce_enabled": True},
        }
    )
    SOCIAL_PROVIDER_PLATFORMS[_provider_id] = env.str("SOCIAL_OIDC_PLATFORM", default="other")
# Professional identities (not social platforms to post from): Doximity links a verified physician
# (and may report the NPI, which pre-fills the credential form); ORCID links the clinician's works,
# whose DOIs mark research posts citing their own publication. Each offered only with credentials.
# allauth provider id -> clinicians.models.IdentityKind.
SOCIAL_IDENTITY_PROVIDERS: dict[str, str] = {}
for _provider_id in ("doximity", "orcid"):
    _client_id = env.str(f"SOCIAL_{_provider_id.upper()}_CLIENT_ID", default="")
    _secret = env.str(f"SOCIAL_{_provider_id.upper()}_SECRET", default="")
    if _client_id and _secret:
        SOCIALACCOUNT_PROVIDERS[_provider_id] = {"APPS": [{"client_id": _client_id, "secret": _secret}]}
        SOCIAL_IDENTITY_PROVIDERS[_provider_id] = _provider_id
if "orcid" in SOCIALACCOUNT_PROVIDERS:
    # sandbox.orcid.org for a test registration.
    SOCIALACCOUNT_PROVIDERS["orcid"]["BASE_DOMAIN"] = env.str("SOCIAL_ORCID_BASE_DOMAIN", default="orcid.org")
# Where the worker reads an ORCID record's public works (API v3.0).
ORCID_PUBLIC_API_URL = env.str("ORCID_PUBLIC_API_URL", default="https://pub.orcid.org")
ORCID_FETCH_TIMEOUT_SECONDS = env.float("ORCID_FETCH_TIMEOUT_SECONDS", default=5.0)
MFA_TOTP_ISSUER = "Advocacy Portal"
# Privileged accounts may not remove their authenticator (core.mfa_adapter); see README "Roles, permissions and MFA".
MFA_ADAPTER = "core.mfa_adapter.PortalMFAAdapter"

# --- Internationalisation --------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and private files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
PRIVATE_FILES_ROOT = Path(env.str("PRIVATE_FILES_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence documents and reports: no base_url, so no URL can ever point at them; they are
    # served only through views that check access.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# "nginx": private file downloads answer X-Accel-Redirect to PRIVATE_FILES_NGINX_LOCATION + the file's
# name and nginx sends the bytes (core.private_files); "django" (the default): Django streams them.
PRIVATE_FILES_SERVED_BY = env.str("PRIVATE_FILES_SERVED_BY", default="django")
PRIVATE_FILES_NGINX_LOCATION = env.str("PRIVATE_FILES_NGINX_LOCATION", default="/_private/")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Reward and toolkit images uploaded in admin (core.images): largest file and largest picture.
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = env.int("IMAGE_UPLOAD_MAX_PIXELS", default=24_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Advocacy Portal <noreply@advocacy.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Email is delivered by core.tasks.email_deliver through the outbox; an unreachable or busy (4xx)
# mail server is retried with exponential backoff and jitter from BASE up to MAX seconds apart.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_RETRY_BASE_SECONDS = env.float("EMAIL_RETRY_BASE_SECONDS", default=10.0)
EMAIL_RETRY_MAX_SECONDS = env.float("EMAIL_RETRY_MAX_SECONDS", default=600.0)
# About three days at the ten-minute cap before an email is given up (and logged as an error).
EMAIL_DELIVERY_MAX_RETRIES = env.int("EMAIL_DELIVERY_MAX_RETRIES", default=450)

# --- Security (all from the environment; `check --deploy` is clean with DEBUG=0) ------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env.str("SECURE_REFERRER_POLICY", default="same-origin")
X_FRAME_OPTIONS = "DENY"
# TRUSTED_PROXY=1: gunicorn is reachable only through the portal's nginx (deploy/nginx.conf.template),
# which overwrites X-Forwarded-For with the client's address, sets X-Forwarded-Proto and assigns the
# X-Request-ID. Only then are those headers believed; without it a client could forge them.
TRUSTED_PROXY = env.bool("TRUSTED_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY and env.bool("SECURE_PROXY_SSL_HEADER", default=True) else None
)
# How many reverse proxies (nginx, a load balancer) append to X-Forwarded-For in front of gunicorn:
# allauth's rate limits and the audit trail's client address read the entry they vouch for, not the
# client-supplied first one. 0 (the default without TRUSTED_PROXY) uses REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1 if TRUSTED_PROXY else 0)

# --- Security headers (see README "Security headers and audit trail") -----------------------------
# django-csp 4: scripts only from this origin plus a per-response nonce for the one inline script
# (base.html); no 'unsafe-inline' and no 'unsafe-eval' anywhere. htmx is configured (base.html's
# htmx-config meta) not to inject its indicator <style> nor to evaluate code. Images allow data:
# URIs for the TOTP QR code. CSP_REPORT_URI, when set, receives violation reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
        **({"report-uri": [env.str("CSP_REPORT_URI")]} if env.str("CSP_REPORT_URI", default="") else {}),
    },
}
# Browser features no page of the portal uses are switched off for it and for anything it embeds.
# The clipboard stays on for this origin: the campaign toolkit's "Copy" buttons write to it.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# --- Audit trail (django-auditlog; see README "Security headers and audit trail") ------------------
# Models whose every change (admin, services, workers) is logged with a field-by-field diff of their
# own columns (core.audit_trail registers them with django-auditlog); the
# actor and client address come from core.middleware.AuditContextMiddleware. High-volume tables the
# workers write (ledger, scores, awards, metrics) are not tracked row by row: manual ledger adjustments
# and access events (evidence downloads, report downloads, admin logins) are recorded explicitly by
# core.services.audit_record. Secrets and bulky snapshots are left out of the diffs.
AUDIT_TRAIL_MODELS = {
    # Django admin's own history: every add, change and delete made through any admin form (of any
    # model, tracked here or not), with admin's change message.
    "admin.LogEntry": {},
    "account.EmailAddress": {},
    "mfa.Authenticator": {"exclude_fields": ["data", "last_used_at"]},
    "django_celery_beat.PeriodicTask": {"exclude_fields": ["last_run_at", "total_run_count"]},
    "core.User": {"exclude_fields": ["password", "last_login"], "m2m_fields": ["groups", "user_permissions"]},
    "auth.Group": {"m2m_fields": ["permissions"]},
    "clinicians.Clinician": {"exclude_fields": ["updated_at", "bio"]},
    "clinicians.Credential": {"exclude_fields": ["updated_at", "registry_snapshot"]},
    "clinicians.CredentialDecision": {},
    "clinicians.SocialAccount": {},
    "campaigns.Campaign": {},
    "campaigns.ToolkitItem": {},
    "campaigns.Activity": {
        "include_fields": ["status", "category", "campaign", "url", "disclosure", "review_reason", "decided_by"]
    },
    "incentives.RuleSet": {},
    "incentives.Reward": {},
    "incentives.Redemption": {},
    "incentives.Badge": {},
    # Who created or revoked which API token (the digest and the last-use time are not history).
    "api.AccessToken": {"exclude_fields": ["digest", "last_used_at"]},
}
AUDITLOG_STORE_JSON_CHANGES = True

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# The longest any task may run (report builds, the full recompute); every task's limit is at most this.
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
else:
    # Redis redelivers an unacknowledged message after the visibility timeout: it must outlast the
    # longest task (CELERY_TASK_TIME_LIMIT, which tests/core/test_task_retries.py holds every task
    # to) or a task still running would be delivered twice. Dead workers are not waited for: the
    # stale-job sweepers below re-queue their work within minutes.
    CELERY_BROKER_VISIBILITY_MARGIN_SECONDS = env.int("CELERY_BROKER_VISIBILITY_MARGIN_SECONDS", default=300)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + CELERY_BROKER_VISIBILITY_MARGIN_SECONDS
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (Queue("default"), Queue("scores"), Queue("reports"))
CELERY_TASK_ROUTES = {
    "incentives.tasks.*": {"queue": "scores"},
    "reports.tasks.*": {"queue": "reports"},
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Keys are named by cadence (readthedocs style). Beat stores them in django-celery-beat's tables.
# Celery 5.6 keeps a task running when the broker connection drops (its message is redelivered
# if the worker dies); set explicitly, as 6.0 changes the default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# How often the stale-job sweepers run (beat); tests shorten it.
STALE_SWEEP_INTERVAL_SECONDS = env.float("STALE_SWEEP_INTERVAL_SECONDS", default=60.0)
# The staff dashboard's period aggregates (26 weeks of activities) are computed by beat every
# STAFF_DASHBOARD_REFRESH_SECONDS and kept this long; a view computes them only on a cache miss.
STAFF_DASHBOARD_CACHE_SECONDS = env.int("STAFF_DASHBOARD_CACHE_SECONDS", default=900)
STAFF_DASHBOARD_REFRESH_SECONDS = env.float("STAFF_DASHBOARD_REFRESH_SECONDS", default=300.0)
CELERY_BEAT_SCHEDULE = {
    "every-minute-worker-heartbeat": {"task": "core.tasks.heartbeat", "schedule": 60.0},
    "every-minute-seal-ledger": {"task": "incentives.tasks.seal_ledger", "schedule": 60.0},
    # Re-queue (or fail) reports whose worker stopped beating, and awards a dead worker left behind.
    "every-minute-sweep-stale-reports": {
        "task": "reports.tasks.sweep_stale_reports",
        "schedule": STALE_SWEEP_INTERVAL_SECONDS,
        "options": {"queue": "default"},
    },
    "every-minute-sweep-unpriced-activities": {
        "task": "incentives.tasks.sweep_unpriced_activities",
        "schedule": STALE_SWEEP_INTERVAL_SECONDS,
        "options": {"queue": "default"},
    },
    "every-five-minutes-staff-dashboard": {
        "task": "advocacy_portal.tasks.refresh_staff_dashboard",
        "schedule": STAFF_DASHBOARD_REFRESH_SECONDS,
        "options": {"queue": "default"},
    },
    "nightly-recompute-scores": {
        "task": "incentives.tasks.recompute_scores",
        "schedule": crontab(hour=2, minute=15),
    },
    "daily-credential-expiry": {
        "task": "clinicians.tasks.credentials_expire_and_remind",
        "schedule": crontab(hour=6, minute=0),
    },
    "daily-social-proof-recheck": {
        "task": "clinicians.tasks.social_account_proofs_recheck",
        "schedule": crontab(hour=4, minute=20),
    },
    # Promise the reach readings that fell due (1 h, 1 d and 7 d after each proven post).
    "every-ten-minutes-reach-readings": {
        "task": "campaigns.tasks.metric_readings_schedule",
        "schedule": 600.0,
        "options": {"queue": "default"},
    },
    "daily-learning-review-check": {
        "task": "learning.tasks.flag_modules_due_review",
        "schedule": crontab(hour=6, minute=30),
    },
    "daily-report-retention": {"task": "reports.tasks.reports_expire", "schedule": crontab(hour=3, minute=30)},
    # Each clinician's Monday-morning digest, in their own time zone (incentives.services.weekly_digests_send).
    "hourly-weekly-digests": {
        "task": "incentives.tasks.weekly_digests_send",
        "schedule": crontab(minute=5),
    },
    "monthly-advocacy-summary": {
        "task": "reports.tasks.monthly_advocacy_summary",
        "schedule": crontab(day_of_month=1, hour=5, minute=0),
    },
}

# --- Transactional outbox (core.outbox; the `outbox_relay` process) --------------------------------
# After commit the web process publishes a promised task itself; the relay leaves a new row alone
# for this long so a healthy broker sees one publish per message.
OUTBOX_FAST_PATH_GRACE_SECONDS = env.float("OUTBOX_FAST_PATH_GRACE_SECONDS", default=10.0)
# How often the relay polls for due messages, and how many it publishes per round.
OUTBOX_RELAY_INTERVAL_SECONDS = env.float("OUTBOX_RELAY_INTERVAL_SECONDS", default=1.0)
OUTBOX_RELAY_BATCH_SIZE = env.int("OUTBOX_RELAY_BATCH_SIZE", default=200)
# A failed publish is retried after about BASE * 2**(attempts-1) seconds (jittered), at most MAX.
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=1.0)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=30.0)
# Sent messages are kept this long (for inspection in the admin), then purged by the relay.
OUTBOX_RETENTION_HOURS = env.int("OUTBOX_RETENTION_HOURS", default=72)

# --- Clinicians (credentials, NPPES registry) -----------------------------------------------------
NPPES_BASE_URL = env.str("NPPES_BASE_URL", default="https://npiregistry.cms.hhs.gov")
NPPES_TIMEOUT_SECONDS = env.float("NPPES_TIMEOUT_SECONDS", default=5.0)
NPI_AUTO_VERIFY = env.bool("NPI_AUTO_VERIFY", default=True)
# Code proofs: where the worker reads public profiles, and how long it waits. The defaults are the
# public services; tests point them at servers on 127.0.0.1 (and allow private addresses).
PROOF_BLUESKY_APPVIEW_URL = env.str("PROOF_BLUESKY_APPVIEW_URL", default="https://public.api.bsky.app")
# "{server}" is replaced by the Mastodon account's server (user@server).
PROOF_MASTODON_URL_TEMPLATE = env.str("PROOF_MASTODON_URL_TEMPLATE", default="https://{server}")
PROOF_FETCH_TIMEOUT_SECONDS = env.float("PROOF_FETCH_TIMEOUT_SECONDS", default=5.0)
PROOF_FETCH_MAX_BYTES = env.int("PROOF_FETCH_MAX_BYTES", default=1024 * 1024)
# Refuse to fetch loopback/private addresses a clinician typed as "their site" (SSRF); tests allow it.
PROOF_ALLOW_PRIVATE_HOSTS = env.bool("PROOF_ALLOW_PRIVATE_HOSTS", default=False)
# Imported reach (campaigns.reach_readers): where the worker reads a proven post's figures. The
# defaults are the public services; tests point them at servers on 127.0.0.1.
REACH_BLUESKY_APPVIEW_URL = env.str("REACH_BLUESKY_APPVIEW_URL", default="https://public.api.bsky.app")
# "{server}" is replaced by the Mastodon post's server (the host of its URL).
REACH_MASTODON_URL_TEMPLATE = env.str("REACH_MASTODON_URL_TEMPLATE", default="https://{server}")
REACH_REDDIT_URL = env.str("REACH_REDDIT_URL", default="https://www.reddit.com")
REACH_YOUTUBE_API_URL = env.str("REACH_YOUTUBE_API_URL", default="https://www.googleapis.com")
# YouTube Data API v3 key; without it YouTube posts are not read (their figures stay self-reported).
REACH_YOUTUBE_API_KEY = env.str("REACH_YOUTUBE_API_KEY", default="")
REACH_FETCH_TIMEOUT_SECONDS = env.float("REACH_FETCH_TIMEOUT_SECONDS", default=5.0)
# Requests per minute per platform, shared by every worker (through the cache).
REACH_RATE_LIMITS_PER_MINUTE = {
    "bluesky": env.int("REACH_RATE_LIMIT_BLUESKY_PER_MINUTE", default=300),
    "mastodon": env.int("REACH_RATE_LIMIT_MASTODON_PER_MINUTE", default=60),
    "reddit": env.int("REACH_RATE_LIMIT_REDDIT_PER_MINUTE", default=10),
    "youtube": env.int("REACH_RATE_LIMIT_YOUTUBE_PER_MINUTE", default=60),
}
# A reading the platform refuses with 429 or 5xx (or a timeout) is retried after Retry-After, else
# after BASE * 2**(attempt-1) seconds (at most MAX); after MAX_ATTEMPTS tries it is marked failed.
REACH_BACKOFF_BASE_SECONDS = env.float("REACH_BACKOFF_BASE_SECONDS", default=60.0)
REACH_BACKOFF_MAX_SECONDS = env.float("REACH_BACKOFF_MAX_SECONDS", default=3600.0)
REACH_MAX_ATTEMPTS = env.int("REACH_MAX_ATTEMPTS", default=6)
# A checkpoint (1 h, 1 d, 7 d after posting) missed by more than this is skipped, not read late.
REACH_READING_WINDOW_HOURS = env.int("REACH_READING_WINDOW_HOURS", default=48)
CREDENTIAL_EVIDENCE_MAX_BYTES = env.int("CREDENTIAL_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
MIDDLEWARE.append("clinicians.middleware.ProfileOnboardingMiddleware")

# --- Campaigns and activities ---------------------------------------------------------------------
# How far back a post may be logged, and how many rows one CSV import may hold.
ACTIVITY_MAX_AGE_DAYS = env.int("ACTIVITY_MAX_AGE_DAYS", default=90)
ACTIVITY_IMPORT_MAX_ROWS = env.int("ACTIVITY_IMPORT_MAX_ROWS", default=1000)
ACTIVITY_IMPORT_MAX_BYTES = env.int("ACTIVITY_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
ACTIVITIES_PER_PAGE = env.int("ACTIVITIES_PER_PAGE", default=25)
# Campaign totals (accepted posts and reach) are cached and forgotten when an activity changes;
# the timeout bounds what a race between a reader and a writer could leave stale.
CAMPAIGN_TOTALS_CACHE_SECONDS = env.int("CAMPAIGN_TOTALS_CACHE_SECONDS", default=300)

# --- Incentives -----------------------------------------------------------------------------------
# Tier thresholds live in the versioned rule set (incentives.RuleSet.tier_*), not here.
INCENTIVES_STATEMENT_PAGE_SIZE = env.int("INCENTIVES_STATEMENT_PAGE_SIZE", default=25)
INCENTIVES_LEADERBOARD_SIZE = env.int("INCENTIVES_LEADERBOARD_SIZE", default=50)
# PostgreSQL work_mem for the full recompute's transaction only (its hash aggregates and sorts over
# every activity spill to disk at the server default of 4MB).
INCENTIVES_RECOMPUTE_WORK_MEM = env.str("INCENTIVES_RECOMPUTE_WORK_MEM", default="256MB")
# PostgreSQL: how long an award waits for the pricing lock (held by a running full recompute) or
# its clinician's row lock before giving up; the task then retries with backoff.
INCENTIVES_PRICING_LOCK_TIMEOUT_MS = env.int("INCENTIVES_PRICING_LOCK_TIMEOUT_MS", default=20_000)
# The award sweeper re-queues activities changed more than AWARD_STALE_AFTER_SECONDS ago (and less
# than AWARD_SWEEP_LOOKBACK_HOURS ago; the nightly recompute covers older ones) that no award has
# priced since, at most AWARD_SWEEP_BATCH per run.
AWARD_STALE_AFTER_SECONDS = env.int("AWARD_STALE_AFTER_SECONDS", default=300)
AWARD_SWEEP_LOOKBACK_HOURS = env.int("AWARD_SWEEP_LOOKBACK_HOURS", default=48)
AWARD_SWEEP_BATCH = env.int("AWARD_SWEEP_BATCH", default=500)

# --- Reports --------------------------------------------------------------------------------------
# Days a finished report file is kept before the daily retention task deletes it.
REPORT_RETENTION_DAYS = env.int("REPORT_RETENTION_DAYS", default=30)
# Rows fetched per round trip when reports stream activities and clinicians (server-side cursor).
REPORT_CHUNK_SIZE = env.int("REPORT_CHUNK_SIZE", default=5000)
# A building report's worker writes a heartbeat every REPORT_HEARTBEAT_SECONDS (from a thread, so
# long silent stages such as saving a big XLSX still beat). A "running" report whose heartbeat is
# older than REPORT_HEARTBEAT_TIMEOUT_SECONDS belongs to a dead worker: the sweeper re-queues it, or
# fails it with a message once it was attempted REPORT_MAX_ATTEMPTS times.
REPORT_HEARTBEAT_SECONDS = env.float("REPORT_HEARTBEAT_SECONDS", default=15.0)
REPORT_HEARTBEAT_TIMEOUT_SECONDS = env.float("REPORT_HEARTBEAT_TIMEOUT_SECONDS", default=90.0)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=3)
# Scratch files of a build (openpyxl's temporary sheets among them) live in one folder per report
# under this directory, removed when the build ends, is taken over or is swept.
REPORT_TEMP_DIR = Path(env.str("REPORT_TEMP_DIR", default=str(VAR_DIR / "report-tmp")))
# The verification report lists verified credentials expiring within this many days.
REPORT_EXPIRING_WITHIN_DAYS = env.int("REPORT_EXPIRING_WITHIN_DAYS", default=60)

# --- Dashboards, notifications, my data -----------------------------------------------------------
# "My data" (export and account deletion) asks for the password again unless the user re-entered
# it within this many seconds.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
# Notifications shown per page on /notifications/.
NOTIFICATIONS_PER_PAGE = env.int("NOTIFICATIONS_PER_PAGE", default=20)
# New clinicians' time zone (IANA name) until they choose theirs on the profile page.
CLINICIAN_DEFAULT_TIME_ZONE = env.str("CLINICIAN_DEFAULT_TIME_ZONE", default="America/New_York")
# The weekly digest goes out on Monday from this hour, clinician's local time (the hourly beat task
# sends to everybody whose Monday has reached it and who has no digest for that week yet).
WEEKLY_DIGEST_LOCAL_HOUR = env.int("WEEKLY_DIGEST_LOCAL_HOUR", default=8)

# --- REST API (api app) ---------------------------------------------------------------------------
# Longest lifetime of a personal access token, in days.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
# Requests one token may make per window of API_TOKEN_RATE_WINDOW seconds; past it, 429 + Retry-After.
API_TOKEN_RATE_LIMIT = env.int("API_TOKEN_RATE_LIMIT", default=120)
API_TOKEN_RATE_WINDOW = env.int("API_TOKEN_RATE_WINDOW", default=60)

# --- Logging, metrics, error reporting -------------------------------------------------------------
# LOG_FORMAT=json: one JSON object per line (python-json-logger) for a log shipper; every line, a
# task's too, carries the request_id of the request that caused it (core.request_id).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# /metrics answers only a scraper sending `Authorization: Bearer <METRICS_TOKEN>` (unset: 404).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
PROMETHEUS_EXPORT_MIGRATIONS = False
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# Errors and slow transactions go to Sentry (web and workers) when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
