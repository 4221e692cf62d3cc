"""One env-driven settings module. Production is ECD_ENV=production."""

from __future__ import annotations

import datetime
import ipaddress
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ecd.env import envbool, envint, envlist, envsecret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envsecret("ECD_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = envsecret("ECD_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
# Off unless asked for (DEBUG=1): `make run` shows the Dutch error pages a user would see.
DEBUG = envbool("DEBUG", default=False)
TESTING = envbool("ECD_TESTING")


def _dev_secret(name: str) -> str:
    """A per-checkout random secret for development, kept under var/ (git-ignored)."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt: de productie-instellingen starten niet zonder."
        )
    SECRET_KEY = _dev_secret("dev-secret-key")

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    "guardian",
    "auditlog",
    "keystore",
    "backups",
    "accounts",
    "audit",
    "dossiers",
    "consent",
    "portal",
    "practice",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ecd.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.ReadOnlyInspectorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "dossiers.middleware.ReadsShownMiddleware",
    "portal.middleware.ChooseClientMiddleware",
    "ecd.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "ecd.urls"
WSGI_APPLICATION = "ecd.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.context_processors.session_limits",
                "portal.context_processors.own_dossier",
            ],
        },
    },
]

# Databases: the main database holds only ciphertext for health data; the key
# store ("keys") holds the wrapped data keys and lives apart, with its own backups.
_default_db = envsecret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ecd.sqlite3'}")
_keys_db = envsecret("KEYSTORE_DATABASE_URL")
if not _keys_db:
    if _default_db.startswith("postgres"):
        _keys_db = (
            _default_db.rsplit("/", 1)[0]
            + "/"
            + _default_db.rsplit("/", 1)[1]
            + "_keys"
        )
    else:
        _keys_db = f"sqlite:///{VAR_DIR / 'keystore.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _default_db, conn_max_age=envint("DB_CONN_MAX_AGE", 60)
    ),
    "keys": dj_database_url.parse(_keys_db, conn_max_age=envint("DB_CONN_MAX_AGE", 60)),
}
# PostgreSQL plans each statement once per connection instead of on every request: with
# server-side binding, psycopg prepares a statement from its fifth run on a connection
# (Django leaves this off by default for poolers). Behind a transaction-mode PgBouncer older
# than 1.21, set DB_PREPARED_STATEMENTS=false. Measured in docs/scaling.md.
_PREPARED = envbool("DB_PREPARED_STATEMENTS", default=True)
for _db in DATABASES.values():
    _db["CONN_HEALTH_CHECKS"] = True
    if _db["ENGINE"] == "django.db.backends.postgresql" and _PREPARED:
        _db["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
# The dossier page's rendered body per revision (dossiers/page_cache.py). It holds plaintext,
# so it must stay in each process's own memory: never point it at a shared cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "dossier_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dossier-pages",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
DATABASE_ROUTERS = ["keystore.routers.KeystoreRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AccountBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "accounts.validators.MinimumLengthValidator",  # Django's, in Dutch
        "OPTIONS": {"min_length": 12},
    },
    # Django's CommonPasswordValidator over its own list plus 30,000 Dutch words.
    {"NAME": "accounts.validators.CommonDutchPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.ProductNameValidator"},
]
# A reset link works one hour and once (accounts/reset.py); an invitation link 72 hours
# and once (consent/invitations.py). Each leaves the URL on its first visit.
PASSWORD_RESET_TIMEOUT = 60 * 60
# Reset and invitation mails per hour, per address and per account (accounts/mail_limits.py).
ECD_MAILS_PER_HOUR = envint("ECD_MAILS_PER_HOUR", 3)

# Login throttling (django-axes): 5 failures per account+address locks that pair for
# 15 minutes, so an attacker elsewhere cannot lock the real user out; on top of that
# accounts.backends caps every account at 100 failures an hour, from any address.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ALLOWED_CORS_ORIGINS = ""
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, or X-Real-IP only when REMOTE_ADDR is a trusted proxy
# (the shipped nginx on the same host). One function for the access log, sessions and axes.
ECD_TRUSTED_PROXIES = frozenset(envlist("ECD_TRUSTED_PROXIES") or ["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"
AXES_USERNAME_CALLABLE = (
    "accounts.backends.axes_username"  # a client's as its digest (#26)
)
ACCOUNT_FAILURES_PER_HOUR = 100

# Second factor (django-otp): TOTP, 30 s steps, ±1 step tolerance (django-otp's default);
# a code is accepted once (the device remembers the last step used).
OTP_TOTP_ISSUER = "ECD"
OTP_TOTP_TOLERANCE = 1

# Passkeys (django-otp-webauthn), the recommended second factor; only as a second factor after
# the password, never instead of it. The RP ID is the domain the passkeys belong to: set
# ECD_WEBAUTHN_RP_ID, else the first host name in ALLOWED_HOSTS that is not an IP address
# (browsers refuse passkeys on an IP address), so "localhost" in development. Changing it later
# makes every registered passkey useless. Accepted origins: ECD_WEBAUTHN_ORIGINS, else
# https://<RP ID>; accounts.passkeys also accepts the request's own origin when its host is the
# RP ID or below it (which covers http://localhost:<any port> in development and in the tests).


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


ECD_WEBAUTHN_RP_ID = envsecret("ECD_WEBAUTHN_RP_ID") or next(
    (host.lstrip(".") for host in ALLOWED_HOSTS if host != "*" and not _is_ip(host)),
    "localhost",
)
OTP_WEBAUTHN_RP_ID = ECD_WEBAUTHN_RP_ID
OTP_WEBAUTHN_RP_NAME = "ECD"
OTP_WEBAUTHN_ALLOWED_ORIGINS = envlist("ECD_WEBAUTHN_ORIGINS") or [
    f"https://{ECD_WEBAUTHN_RP_ID}"
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "django_otp_webauthn"

# Sessions: idle timeout and absolute lifetime (accounts.middleware.SessionLimitsMiddleware).
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dossiers:client_list"
LOGOUT_REDIRECT_URL = "accounts:login"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "ecd" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploads: attachments up to 20 MB; every other body stays small.
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Sessions and cookies.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS on every secure response (browsers ignore it over plain http in development).
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Field encryption (keystore/crypto.py): master keys "kid:base64key,...", newest first.
ECD_MASTER_KEYS = envsecret("ECD_MASTER_KEYS")
ECD_BLIND_INDEX_KEY = envsecret("ECD_BLIND_INDEX_KEY")
if PRODUCTION and not ECD_MASTER_KEYS:
    raise ImproperlyConfigured(
        "ECD_MASTER_KEYS (of ECD_MASTER_KEYS_FILE) ontbreekt: zonder hoofdsleutel start de "
        "productie niet, want medische gegevens worden versleuteld opgeslagen."
    )
if PRODUCTION and not ECD_BLIND_INDEX_KEY:
    raise ImproperlyConfigured(
        "ECD_BLIND_INDEX_KEY (of ECD_BLIND_INDEX_KEY_FILE) ontbreekt."
    )
if not ECD_MASTER_KEYS:
    ECD_MASTER_KEYS = "dev1:" + _dev_secret("dev-master-key-material")
if not ECD_BLIND_INDEX_KEY:
    ECD_BLIND_INDEX_KEY = _dev_secret("dev-blind-index-key")
# Switches used only by bench/ to measure what encryption and read logging cost;
# production ignores them.
ECD_ENCRYPTION_ENABLED = PRODUCTION or envbool("ECD_ENCRYPTION_ENABLED", True)
ECD_AUDIT_READS_ENABLED = PRODUCTION or envbool("ECD_AUDIT_READS_ENABLED", True)
ECD_AUDIT_CHECKPOINT_DIR = Path(
    envsecret("ECD_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "checkpoints"))
)
ECD_AUDIT_CHECKPOINT_KEY = envsecret("ECD_AUDIT_CHECKPOINT_KEY") or (
    "" if PRODUCTION else _dev_secret("dev-checkpoint-key")
)
# Database dumps (backups/archive.py) are encrypted with age for public keys (age1…) whose
# private keys are kept off the server; the key store for a recipient and a folder of its own.
ECD_BACKUP_RECIPIENT = envsecret("ECD_BACKUP_RECIPIENT", "")
ECD_BACKUP_KEYS_RECIPIENT = envsecret("ECD_BACKUP_KEYS_RECIPIENT", "")
ECD_BACKUP_DIR = Path(envsecret("ECD_BACKUP_DIR", str(VAR_DIR / "backups")))
ECD_BACKUP_KEYS_DIR = Path(
    envsecret("ECD_BACKUP_KEYS_DIR", str(VAR_DIR / "backups-keystore"))
)
if PRODUCTION and not ECD_AUDIT_CHECKPOINT_KEY:
    raise ImproperlyConfigured("ECD_AUDIT_CHECKPOINT_KEY ontbreekt.")

EMAIL_BACKEND = envsecret(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = envsecret("DEFAULT_FROM_EMAIL", "ecd@localhost")
EMAIL_HOST = envsecret("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envsecret("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = envint(
    "EMAIL_TIMEOUT", 10
)  # seconds; a hanging SMTP server never blocks a sender
# Notifications (notifications/): the address the content-free e-mails tell people to log in
# on, and whether each web or worker process delivers the outbox itself in a background
# thread (woken after a response that queued one; `manage.py send_notifications` does the same
# from cron). Never inside the request that caused the notification.
ECD_SITE_URL = envsecret(
    "ECD_SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}"
    if PRODUCTION and ALLOWED_HOSTS
    else "http://localhost:8000",  # what `make run` prints (passkeys need a host name)
).rstrip("/")
ECD_NOTIFY_IN_PROCESS = envbool("ECD_NOTIFY_IN_PROCESS", default=True)

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ecd.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": envsecret("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request paths are opaque ids; still, never log request bodies.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
