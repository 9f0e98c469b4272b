"""Settings for the IJB Rep Portal, read from the environment.

Every environment (a laptop, CI, docker-compose, production) runs this one module; what differs
comes from environment variables, so nothing exists only in production.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in env_list(name, ""):
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or a network such as 10.0.0.0/24."
            ) from error
    return networks


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local use).")
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")


def site_url(value: str, allowed_hosts: list[str]) -> str:
    """The portal's public address, refused unless links built from it would work.

    Emails are written by the background worker, which has no request to take an address from,
    so every link in them starts with this. A typo would send every rep a dead link.
    """
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"SITE_URL: {value!r} is not an address such as https://reps.example.scot."
        )
    extra = parts.path or parts.query or parts.fragment or parts.username
    if extra or value.endswith(("/", "?", "#")):
        # Paths come from reverse(), which already carries any prefix the portal is served under.
        raise ImproperlyConfigured(
            f"SITE_URL: {value!r} must be only the scheme and host, with no '/' at the end."
        )
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if not validate_host(host, allowed_hosts):
        raise ImproperlyConfigured(
            f"SITE_URL: the portal does not answer to {parts.hostname!r}; add it to ALLOWED_HOSTS."
        )
    return value


# Where the portal is reached, as reps type it: https://reps.example.scot (no "/" at the end).
# Checked at start-up outside local development.
_site_url = os.environ.get("SITE_URL", "http://localhost:8000")
SITE_URL = _site_url.rstrip("/") if DEBUG else site_url(_site_url, ALLOWED_HOSTS)
# How long the link in a rep's invitation to set a password works.
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))

INSTALLED_APPS = [
    "portal.core",
    "reps",
    "standards",
    "expenses",
    "reports",
    "portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Only used on PostgreSQL (the terms' no-overlap constraint); harmless on SQLite.
    "django.contrib.postgres",
    "crispy_forms",
    "import_export",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Just after the user is known, so that it sees the answer of everything below it.
    "portal.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.mfa.SecondFactorRequiredMiddleware",
    "portal.middleware.MethodNotAllowedPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees every failed sign-in the views above let through.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.service",
                "portal.context_processors.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The embedded SQLite default serves a small office with several people writing at once. Each
# transaction takes the write lock when it begins (IMMEDIATE), so one that reads and then writes
# waits its turn instead of failing with "database is locked" when it comes to write; others wait
# up to 20 seconds for the lock; and WAL lets pages be read while someone writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # Throttling first: it refuses a locked-out sign-in before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "portal.sessions.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions end: use pushes the expiry back (portal.middleware.IdleSessionMiddleware), so
# only inactivity signs someone out.
# Each session's row names its account, so a page reads both in one query (`portal.sessions`).
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Second factor (TOTP) for staff, national viewers and administrators.
REQUIRE_MFA = env_bool("REQUIRE_MFA", True)
OTP_TOTP_ISSUER = "IJB Rep Portal"

# Sign-in throttling: five failures for one email from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.views.accounts.signin_locked_out"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field holds the email address
AXES_USERNAME_CALLABLE = "portal.throttling.attempted_email"
AXES_CLIENT_IP_CALLABLE = "portal.throttling.client_ip_address"
# The load balancers or reverse proxies in front of the portal, as addresses or networks. Only
# requests from these may say, in X-Forwarded-For, which client they came from.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The Scottish Government Design System, pinned in package.json and installed by npm.
    ("sgds", BASE_DIR / "node_modules" / "@scottish-government" / "design-system" / "dist"),
]

# Receipts and PDFs hold personal data: they live in a private folder (or a private bucket),
# never under a public media URL, and are served only by views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"default_acl": "private", "querystring_auth": True, "file_overwrite": False},
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# A summary PDF renders in about a second and is killed after a minute (reports.pdf); one still
# "being made" after this many minutes lost its worker, and is queued again up to
# REPORT_FILE_ATTEMPTS times in all, then marked failed.
REPORT_FILE_STUCK_MINUTES = int(os.environ.get("REPORT_FILE_STUCK_MINUTES", "10"))
REPORT_FILE_ATTEMPTS = int(os.environ.get("REPORT_FILE_ATTEMPTS", "3"))
# Each process keeps what busy pages worked out in its own memory (`portal.core.record_changes`
# and `figures_cache`): a rep's home, the staff homes of each set of permissions, a queue row for
# each claim waiting, so room for some thousands of them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Each process hears from PostgreSQL of every change as it commits, so what it kept in memory
# (sessions, busy pages) is used without asking the database first (`portal.core.change_notices`).
# It costs each process one more connection. Turn it off behind a connection pooler in
# transaction mode (PgBouncer's, say), which cannot pass the notices on.
CHANGE_NOTICES = env_bool("CHANGE_NOTICES", True)

# The national comparison and the annual summaries keep what they worked out in the default
# cache: published scores show at once, the boards' records at most this many seconds late (the
# pages say when their figures were worked out). 0 works them out on every request.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "300"))

# How long personal details are kept (the privacy notice says so; `anonymise_personal_data` acts
# on it): a former rep's, this many years after their last term ended and their last expenses
# were paid (for audit); an expression of interest's, this many months after it last changed
# when the person was not appointed and is not in the pool.
REP_RETENTION_YEARS = int(os.environ.get("REP_RETENTION_YEARS", "6"))
INTEREST_RETENTION_MONTHS = int(os.environ.get("INTEREST_RETENTION_MONTHS", "24"))
# How many days before the deadline for the reps' self-assessment scores the board's reps are
# reminded, if their scores are still to send (`manage.py send_reminders`, once a day).
REPS_REMINDER_DAYS = int(os.environ.get("REPS_REMINDER_DAYS", "7"))
# How often staff ask people in the board's pool whether they want to stay in it.
POOL_CHECK_MONTHS = int(os.environ.get("POOL_CHECK_MONTHS", "12"))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["sgds"]
CRISPY_TEMPLATE_PACK = "sgds"
CRISPY_FAIL_SILENTLY = not DEBUG

# Email: printed to the console in local use, sent by SMTP when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IJB Rep Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write about the portal: problems, accessibility, other formats. Shown on the
# accessibility statement; the placeholder is for local use only.
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "rep-portal-support@example.org" if DEBUG else "")

# Security headers. HTTPS settings are on whenever DEBUG is off; a deployment behind a
# TLS-terminating proxy says so with SECURE_PROXY_SSL_HEADER.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content security policy: nothing inline, nothing from elsewhere. The design system's script
# and styles are served from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Routine start-up and each step of rendering a PDF are announced at INFO, which says
    # nothing an operator needs.
    "loggers": {
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Portal rules that an information governance lead or a board may tune.
# Counts of people below this are never shown. It may be raised, never lowered: a smaller count
# could point at someone.
SUPPRESSION_THRESHOLD = int(os.environ.get("SUPPRESSION_THRESHOLD", "5"))
if SUPPRESSION_THRESHOLD < 5:
    raise ImproperlyConfigured(
        "SUPPRESSION_THRESHOLD may be raised from 5, never lowered: a smaller count could point "
        "at someone."
    )
DEMO_MODE = env_bool("DEMO_MODE", False)
