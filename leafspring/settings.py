"""Settings for the Leafspring privacy application, read from the environment.

Every variable is listed with its default in README.md. In development (``DEBUG=true``)
the defaults run everything on one machine with only Python: SQLite, Celery on a
filesystem transport, e-mail on the console. With ``DEBUG`` off the application refuses
to start without a real ``SECRET_KEY`` and ``FIELD_ENCRYPTION_KEY``.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A development checkout keeps its settings in .env (`make install` writes DEBUG=true
# there); real environment variables always win, and production images exclude .env.
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# Development-only values: never accepted when DEBUG is off.
_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
_DEV_FIELD_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZC11c2U="

SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
# One or more Fernet keys, comma separated: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY", default=[_DEV_FIELD_KEY] if DEBUG else [])
# Keys of the suppression list's keyed hashes, as "version:key" pairs, comma separated; the
# first hashes new entries, all of them are checked (a new key is added in front, old
# entries stay recognised).
_DEV_SUPPRESSION_KEY = "dev1:development-suppression-key-not-for-production"
SUPPRESSION_HASH_KEYS = env.list(
    "SUPPRESSION_HASH_KEYS", default=[_DEV_SUPPRESSION_KEY] if DEBUG else []
)
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not FIELD_ENCRYPTION_KEYS or _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")
    if not SUPPRESSION_HASH_KEYS or _DEV_SUPPRESSION_KEY in SUPPRESSION_HASH_KEYS:
        raise ImproperlyConfigured("SUPPRESSION_HASH_KEYS must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The admin behind the second factor (leafspring.admin_site.StaffAdminSite).
    "leafspring.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    # Content-Security-Policy headers (Django 5.2 has none of its own).
    "csp",
    "processing",
    "subjects",
    "retention",
    "requests_dsar",
]

MIDDLEWARE = [
    "leafspring.middleware.MethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff login: which second factor verified this session (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "leafspring.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "leafspring.middleware.NoStoreMiddleware",
    "subjects.middleware.WebsiteVisitMiddleware",
    # Staff login: answers a locked-out sign-in with the lockout page (django-axes; last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leafspring.urls"
WSGI_APPLICATION = "leafspring.wsgi.application"

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
                "processing.context_processors.controller",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Access packages and other answers live outside MEDIA: served only through tokenised views.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Leafspring B.V. <info@leafspring.nl>")
# Where staff notifications (new requests, reminders) go.
STAFF_NOTIFICATION_EMAIL = env.str("STAFF_NOTIFICATION_EMAIL", default="info@leafspring.nl")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Celery. Without Redis the broker is a directory on disk, so `make run` still runs the
# scheduled jobs with a real worker and beat; production points this at Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcast/pidbox messages (inspect ping, remote control) also stay under var/.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

# Rights requests: the statement promises an answer within four weeks.
DSAR_RESPONSE_DAYS = env.int("DSAR_RESPONSE_DAYS", default=28)
# Public request form: submissions per IP address and per e-mail address (django-ratelimit).
DSAR_RATE_PER_IP = env.str("DSAR_RATE_PER_IP", default="20/h")
DSAR_RATE_PER_EMAIL = env.str("DSAR_RATE_PER_EMAIL", default="5/h")
# Reverse proxies in front of the application that append the visitor's address to
# X-Forwarded-For (0: none, REMOTE_ADDR is the visitor). The rate limits and the
# website-visit log both take the visitor's address from leafspring.client_ip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "leafspring.client_ip.client_ip_for_ratelimit"
# Staff are reminded of open requests this many days before their due date.
DSAR_REMINDER_DAYS = env.int("DSAR_REMINDER_DAYS", default=7)
# A status link stops working this many days after the request was closed.
DSAR_STATUS_LINK_DAYS_AFTER_CLOSING = env.int("DSAR_STATUS_LINK_DAYS_AFTER_CLOSING", default=90)
# A closed request of someone no longer held is reduced to its outline (the proof of how
# it was handled, Art. 5(2)) this many months after closing.
DSAR_PROOF_MONTHS = env.int("DSAR_PROOF_MONTHS", default=12)

# The Mailchimp connector (processing.connectors.mailchimp): off without an API key. The
# key ends in its data centre ("-us21"), from which the API's address follows.
MAILCHIMP_API_KEY = env.str("MAILCHIMP_API_KEY", default="")
MAILCHIMP_AUDIENCE_ID = env.str("MAILCHIMP_AUDIENCE_ID", default="")
MAILCHIMP_WEBHOOK_SECRET = env.str("MAILCHIMP_WEBHOOK_SECRET", default="")
MAILCHIMP_API_URL = env.str(
    "MAILCHIMP_API_URL",
    default=f"https://{MAILCHIMP_API_KEY.rpartition('-')[2]}.api.mailchimp.com/3.0"
    if "-" in MAILCHIMP_API_KEY
    else "",
)

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
# HTTPS: redirect and HSTS are off in development and switched on in production by the
# environment (docker-compose.yml does). The health check answers over plain HTTP, for
# the container's own probe.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

# Nothing from another host, no inline script or style: every script, stylesheet, image
# and font comes from this site (a privacy tool must not leak its visitors' addresses).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Every log line passes the token mask: no working link (verification, status, download,
# newsletter, consent page) is ever written to a log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tokens_masked": {"()": "leafspring.token_mask.TokenMaskingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["tokens_masked"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own request and development-server loggers log paths.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports every rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Staff login: two factors and throttling (issue 12) ---------------------------------
# Every staff user signs in with a password and a code from an authenticator app (TOTP,
# django-two-factor-auth on django-otp) or a one-time recovery code; the admin and every
# staff page refuse a session verified by password alone. No phone or SMS method: nothing
# is sent to another host. Sign-in is throttled per user name and IP address together
# (django-axes), so nobody can lock the privacy officer out from elsewhere.
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "staff_dashboard"
# The library's admin patch is not needed: the admin site is StaffAdminSite.
TWO_FACTOR_PATCH_ADMIN = False
# The name an authenticator app shows next to the code.
OTP_TOTP_ISSUER = "Leafspring privacy"
# Nobody sees another person's authenticator key or QR code in the admin (a key seen is a
# second factor copied): 403 on those pages, whoever asks.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A sign-in must finish its second step within 5 minutes of the password.
TWO_FACTOR_LOGIN_TIMEOUT = 300
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=60))
AXES_RESET_ON_SUCCESS = True
# The lockout page (429), in the visitor's language, the same for every user name.
AXES_LOCKOUT_CALLABLE = "leafspring.staff_login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "leafspring.client_ip.client_ip_for_ratelimit"
# The login form's fields carry the wizard's prefix; the password, the codes and the
# CSRF token are masked in what axes stores of the form.
AXES_PASSWORD_FORM_FIELD = "auth-password"
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "auth-password",
    "token-otp_token",
    "backup-otp_token",
    "csrfmiddlewaretoken",
]
# Locks and log rows are looked after in the admin by privacy officers (unlock audited,
# leafspring.login_admin); axes' own admin would delete attempts without a trace.
AXES_ENABLE_ADMIN = False
# No log line per failure: a password typed into the user-name field would be in it.
AXES_VERBOSE = False
