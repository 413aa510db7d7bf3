"""The one settings module. Everything that differs between machines comes
from the environment (see config/env.py and docs/operations.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, env_url, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

SECRET_KEY = env_str("XIESHANG_SECRET_KEY")
DEBUG = env_bool("XIESHANG_DEBUG", False)
ALLOWED_HOSTS = env_list("XIESHANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("XIESHANG_CSRF_TRUSTED_ORIGINS", [])
# Addresses of the reverse proxies (nginx) whose X-Real-IP header names the
# browser's address in the audit log; empty means no proxy is trusted.
TRUSTED_PROXIES = env_list("XIESHANG_TRUSTED_PROXIES", [])
# Data directory for the SQLite file and uploaded files; outside the static root.
VAR_DIR = Path(env_str("XIESHANG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    # For its static Swagger UI files, which the API docs page serves itself.
    "ninja",
    "xieshang.core",
    "xieshang.accounts",
    "xieshang.councils",
    "xieshang.themes",
    "xieshang.proposals",
    "xieshang.opinions",
    "xieshang.meetings",
    "xieshang.consultations",
    "xieshang.liaison",
    "xieshang.supervision",
    "xieshang.surveys",
    "xieshang.duty",
    "xieshang.dashboards",
]

MIDDLEWARE = [
    # First, so that the time it logs includes every other middleware.
    "xieshang.core.middleware.SlowRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session middleware, so that the session it marks is saved.
    "xieshang.accounts.middleware.SessionActivityMiddleware",
    "xieshang.accounts.middleware.ChineseFirstLocaleMiddleware",
    # Before anything reads the query string; after the language is chosen,
    # so that the refusal is in the user's language.
    "xieshang.core.middleware.AddressLengthMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: a temporary password must be changed first.
    "xieshang.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the CSRF check, the login and the messages: a form post sent
    # twice shows where the first one led (xieshang.core.submissions).
    "xieshang.core.middleware.SubmitOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xieshang.core.middleware.ErrorMappingMiddleware",
    # Last, so that it sees failures after the views ran.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Every form's {% csrf_token %} also carries a submission key
            # (xieshang.core.templatetags.submissions).
            "builtins": ["xieshang.core.templatetags.submissions"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "xieshang.councils.context_processors.frame",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
# SQLite (WAL) by default; PostgreSQL when DATABASE_URL is set.
_database_url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xieshang.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
# Connections stay open between requests (one per worker thread): opening
# one costs several milliseconds, more than reading a proposal.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("XIESHANG_DB_CONN_MAX_AGE", 600, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so that a transaction that
        # reads then writes never fails half-way with "database is locked"
        # while a worker writes too.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xieshang.accounts.backends.UsernameOrMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "xieshang.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "root"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env_int("XIESHANG_SESSION_IDLE_SECONDS", 30 * 60)
# The idle timeout is kept by accounts.middleware.SessionActivityMiddleware,
# which saves a logged-in session at most once a minute rather than on every
# request (a database write each time).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ACTIVITY_RESOLUTION = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("XIESHANG_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form gets the platform's page saying why (JSON under /api/).
CSRF_FAILURE_VIEW = "xieshang.core.rejections.csrf_failure"

# Lockout: failures are counted per username (a council can lower or raise the
# limit; xieshang.councils.lockout reads the council's setting).
AXES_ENABLED = env_bool("XIESHANG_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = "xieshang.councils.lockout.failure_limit"
AXES_COOLOFF_TIME = "xieshang.councils.lockout.cooloff_time"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# A lockout lasts its fixed time from the failure that caused it; tries while
# locked do not extend it (DOMAIN.md §7: "5 failures for 15 minutes").
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "xieshang.councils.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "xieshang.councils.lockout.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Lockout is per account by design (DOMAIN.md §7): a whole government office
# often shares one public IP address, and locking the address would lock out
# every colleague.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Beside it, a throttle per network address across accounts (accounts.actions,
# claim_login_attempt), with limits high enough for an office behind one
# address: after SLOWDOWN_AFTER failures within the window each further try
# waits (1 s, then doubling up to a minute); after BLOCK_AFTER the address is
# refused until the window ends. 0 turns a stage off.
LOGIN_ADDRESS_SLOWDOWN_AFTER = env_int("XIESHANG_LOGIN_ADDRESS_SLOWDOWN_AFTER", 10, minimum=0)
LOGIN_ADDRESS_BLOCK_AFTER = env_int("XIESHANG_LOGIN_ADDRESS_BLOCK_AFTER", 50, minimum=0)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("XIESHANG_LOGIN_ADDRESS_WINDOW_MINUTES", 15, minimum=1)

OTP_TOTP_ISSUER = "xieshang"

# Strict CSP: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Personal data at rest: comma-separated "key_id:base64key" (16-byte SM4 keys);
# the first encrypts, all decrypt. See docs/operations.md, "Key rotation".
DATA_KEYS = env_str("XIESHANG_DATA_KEYS")
# Key for blind indexes (HMAC-SM3) that let us look up a mobile number
# without decrypting every row. Rotating it means re-indexing (rotate_data_keys).
DATA_INDEX_KEY = env_str("XIESHANG_DATA_INDEX_KEY")

# --- Language --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env_str(
            "XIESHANG_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Longest address (path and query string) answered; longer ones get 414.
# nginx's large_client_header_buffers (deploy/nginx.conf) must be larger.
MAX_URL_LENGTH = env_int("XIESHANG_MAX_URL_LENGTH", 8192)
ATTACHMENT_MAX_BYTES = env_int("XIESHANG_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# A larger body (not counting uploaded files) is refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Form posts sent twice ---------------------------------------------------------
# How long a form post is remembered, and how long its repeat waits for the
# first to finish (a double click sends both within a second).
SUBMISSION_MEMORY_SECONDS = env_int("XIESHANG_SUBMISSION_MEMORY_SECONDS", 30 * 60)
SUBMISSION_WAIT_SECONDS = 10

# --- Background work -------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("XIESHANG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Messages out ----------------------------------------------------------------
# Django's MAILERS setting: the console backend by default (messages go to the
# worker's log); a deployment names its SMTP relay through the environment.
_email_backend = env_str("XIESHANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_email_options: dict[str, object] = {}
if _email_backend == "django.core.mail.backends.smtp.EmailBackend":
    _email_options = {
        "host": env_str("XIESHANG_EMAIL_HOST", "localhost"),
        "port": env_int("XIESHANG_EMAIL_PORT", 25),
        # Optional: an internal relay often accepts mail without logging in.
        "username": os.environ.get("XIESHANG_EMAIL_USER") or None,
        "password": os.environ.get("XIESHANG_EMAIL_PASSWORD") or None,
        "use_tls": env_bool("XIESHANG_EMAIL_USE_TLS", False),
        "use_ssl": env_bool("XIESHANG_EMAIL_USE_SSL", False),
        "timeout": env_int("XIESHANG_EMAIL_TIMEOUT", 30),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("XIESHANG_FROM_EMAIL", "xieshang@localhost")
# The site's public address, where people reach it (behind nginx: its name,
# not the address and port gunicorn listens on). Links sent by e-mail and SMS,
# the meeting check-in code and experts' links are built from it, never from
# a request's host; a background task has no request anyway. The older name
# XIESHANG_SITE_BASE_URL is still read.
PUBLIC_URL = env_url(
    "XIESHANG_PUBLIC_URL", os.environ.get("XIESHANG_SITE_BASE_URL") or "http://127.0.0.1:8000"
)
SMS_BACKEND = env_str("XIESHANG_SMS_BACKEND", "xieshang.core.sms.LogSmsBackend")

# Requests taking this many milliseconds or more are logged (path, time,
# query count) on xieshang.slow_requests; a negative value logs none.
SLOW_REQUEST_MS = env_int("XIESHANG_SLOW_REQUEST_MS", 500)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("XIESHANG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
