"""Settings for the clinic site: one module, every deploy-time value from the environment.

Production is the default posture. `DJANGO_ENV=development` (set by `make run`) and
`DJANGO_ENV=test` (set by `make test`) supply local defaults; in production a missing
required value stops start-up with a message that names it.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = os.environ.get("DJANGO_ENV", "production").strip().lower()
if DJANGO_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be production, development or test, not {DJANGO_ENV!r}."
    )
LOCAL = DJANGO_ENV in {"development", "test"}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def env_required(name: str, local_default: str) -> str:
    """A value production must be given; local environments fall back to a default."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if LOCAL:
        return local_default
    raise ImproperlyConfigured(
        f"The environment variable {name} is required in production "
        f"(set DJANGO_ENV=development for a local run). See README.md, Configuration."
    )


SECRET_KEY = env_required("SECRET_KEY", "insecure-local-only-key-never-used-in-production")
DEBUG = env_bool("DEBUG", default=DJANGO_ENV == "development")
if DEBUG and DJANGO_ENV == "production":
    raise ImproperlyConfigured(
        "DEBUG=true shows settings and code to anyone who triggers an error; it is refused "
        "in production. Use DJANGO_ENV=development on your own machine."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    if not LOCAL:
        raise ImproperlyConfigured(
            "The environment variable ALLOWED_HOSTS is required in production: a "
            "comma-separated list of the host names the site answers to."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "recovery_site.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # passkeys: a phishing-resistant second step (recovery_site/passkeys.py)
    "axes",
    "recovery_site",
    "crispy_forms",
    "crispy_bootstrap5",
    # Their translations (phone messages, US state names) are found only as apps.
    "phonenumber_field",
    "localflavor",
    "education",
    "intake",
]

MIDDLEWARE = [
    # First: a request id for the one log line of each request, and its timing.
    "recovery_site.middleware.RequestLogMiddleware",
    # Bodies over the limit (file parts included) get the 413 page before anything reads them.
    "recovery_site.middleware.BodySizeLimitMiddleware",
    # X-Forwarded-* only from our own proxies (TRUSTED_PROXIES), before anything reads them.
    "recovery_site.proxies.ForwardedHeadersMiddleware",
    # The language, from the address alone: before the page cache, which resolves addresses.
    "recovery_site.middleware.LanguageMiddleware",
    # A visitor's first, clean send of a request form, stored and answered here, with the
    # answer (and headers) the full way last gave (intake/middleware.py).
    "intake.middleware.QuickSendMiddleware",
    # Readers' pages from memory, before the middleware whose work a kept page does not
    # need; it keeps the headers they gave the page and answers 304s itself.
    "education.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Permissions-Policy and Reporting-Endpoints, which Django has no setting for.
    "recovery_site.middleware.PolicyHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A NUL byte in the address is a probe (PostgreSQL refuses it): the 400 page, early.
    "recovery_site.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags on every page, and 304 answers to browsers that already have it.
    "django.middleware.http.ConditionalGetMiddleware",
    "recovery_site.middleware.RevalidateHtmlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A staff member's own admin language, for their /admin/ pages only (after auth).
    "recovery_site.middleware.AdminLanguageMiddleware",
    "recovery_site.middleware.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A save to a request's page after the idle limit: keep what was typed (its __call__ runs
    # before CSRF's check), and say so on the sign-in page (a message: no session needed).
    "intake.unsaved_changes.UnsavedChangesMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recovery_site.urls"
WSGI_APPLICATION = "recovery_site.wsgi.application"

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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "recovery_site.context_processors.clinic",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# make run / make test export DATABASE_URL for the embedded PostgreSQL they start.
DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL", "postgres://postgres@localhost:5432/clinic"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# Redis when given, otherwise a table in PostgreSQL (made by `manage.py createcachetable`):
# either way shared by every process and server, never one process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    )
}
# `make bench` only: a minimal page to measure the server's ceiling against.
ENABLE_BENCH_CEILING = env_bool("ENABLE_BENCH_CEILING", False)
# Readers' pages kept in memory (education/page_cache.py), checked against the shared
# content version at most every PAGE_CACHE_VERSION_SECONDS. Off in tests unless a test
# turns it on, so one test's pages never leak into the next.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", DJANGO_ENV != "test")
# The two-person rule for guides: a change to a published guide's medical content (title,
# summary, body, sources) is published only after a clinical reviewer approves it.
GUIDE_TWO_PERSON_RULE = env_bool("GUIDE_TWO_PERSON_RULE", False)
PAGE_CACHE_VERSION_SECONDS = env_int("PAGE_CACHE_VERSION_SECONDS", 2)

# --- Staff sign-in ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Staff give a TOTP code (django-otp) as well as a password; make run switches it off.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", DJANGO_ENV == "production")
OTP_TOTP_ISSUER = os.environ.get("CLINIC_NAME", "Clinic") + " staff"
# A new account (or one an administrator reset) must set up its authenticator app within
# this many days of being created or reset; after that, only an administrator can reopen it.
ENROLMENT_DAYS = env_int("ENROLMENT_DAYS", 7)
# Passkeys (WebAuthn) are bound to one domain, the relying party: the first host the site
# answers to unless set. Browsers accept a passkey only on an https origin of that domain
# (or http://localhost); changing the domain means everyone registers their passkeys again.
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", ALLOWED_HOSTS[0].lstrip("."))
OTP_WEBAUTHN_RP_NAME = os.environ.get("CLINIC_NAME", "Harbor Light Recovery") + " staff"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS",
    [f"https://{OTP_WEBAUTHN_RP_ID}"] + (["http://localhost:8000"] if LOCAL else []),
)
# Never a passkey alone: it is the second step, after the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Five wrong passwords for one account from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Sessions last 30 minutes; a staff member's is pushed back on each request they make
# (recovery_site.middleware.StaffIdleTimeoutMiddleware), so it ends after 30 idle minutes.
# Visitors' sessions (only the thank-you reference) are not rewritten on every page.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Staff pages warn this long before the idle limit, with a "Stay signed in" button
# (static/js/idle-warning.js).
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_MINUTES", 3) * 60
# A save that arrives after the limit keeps what was typed, encrypted, for this long, for its
# author to take back after signing in again (intake/unsaved_changes.py).
UNSAVED_CHANGE_HOURS = env_int("UNSAVED_CHANGE_HOURS", 12)

# --- Passwords, language, time --------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not "HarborLight2026!": the clinic's name is the first guess against its staff.
    {"NAME": "recovery_site.passwords.ClinicNameSimilarityValidator"},
]
if DJANGO_ENV == "test":
    # The suite makes hundreds of accounts: a fast hash for them (as cookiecutter-django's
    # test settings do). Everywhere else Django's default, PBKDF2 at its full cost.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
# English at today's addresses, Spanish under /es/ (recovery_site/urls.py): the address alone
# chooses (recovery_site.middleware.LanguageMiddleware). The names are each language's own,
# as the language switch shows them. Adding a language: README, "Adding a language".
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names so browsers may cache them for a year.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# django-phonenumber-field reads a number without a country code as a US one, and stores
# every number as E.164 (its default PHONENUMBER_DB_FORMAT), which staff search and the
# phone indexes on intake's HelpRequest rely on.
PHONENUMBER_DEFAULT_REGION = "US"

# --- Mail -----------------------------------------------------------------------------
# Django 6.1 configures mail through MAILERS; the old EMAIL_* settings must not be set.
SMTP_HOST = os.environ.get("SMTP_HOST", "").strip()
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587),
                "username": os.environ.get("SMTP_USERNAME", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", default=True),
                "timeout": env_int("SMTP_TIMEOUT", 10),
            },
        }
    }
elif LOCAL:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured(
        "The environment variable SMTP_HOST is required in production: staff are "
        "notified of new requests by email. See README.md, Configuration."
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "website@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Background tasks -----------------------------------------------------------------
# Queued in PostgreSQL; `manage.py db_worker` runs them (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Intake ---------------------------------------------------------------------------
# A visitor's first, clean send stored in one statement before the rest of the middleware
# (intake/middleware.py); off, every send goes the full way (intake/views.py), as it does
# for tests that change that way's parts.
INTAKE_QUICK_SEND = True
INTAKE_NOTIFY_EMAILS = env_list("INTAKE_NOTIFY_EMAILS", [])
if not INTAKE_NOTIFY_EMAILS:
    if not LOCAL:
        raise ImproperlyConfigured(
            "The environment variable INTAKE_NOTIFY_EMAILS is required in production: "
            "the comma-separated addresses told of each new request."
        )
    INTAKE_NOTIFY_EMAILS = ["intake@localhost"]
# The response-time promise in business hours (12 = one business day of 8 to 8), and the
# business hours it counts: opening and closing hour, and weekdays (0 = Monday).
INTAKE_RESPONSE_BUSINESS_HOURS = env_int("INTAKE_RESPONSE_BUSINESS_HOURS", 12)
# An urgent request (an overdose, suicide or self-harm mentioned, or staff marked it) has
# its own promise, counted in plain minutes at any hour of any day.
INTAKE_URGENT_RESPONSE_MINUTES = env_int("INTAKE_URGENT_RESPONSE_MINUTES", 60)
CLINIC_BUSINESS_HOURS = (env_int("CLINIC_OPENS_AT", 8), env_int("CLINIC_CLOSES_AT", 20))
CLINIC_BUSINESS_DAYS = [int(d) for d in env_list("CLINIC_BUSINESS_DAYS", ["0", "1", "2", "3", "4"])]
# purge_intake deletes closed requests this many days after closing, and spam this many
# days after it was marked spam (the privacy notice states both).
INTAKE_RETENTION_DAYS = env_int("INTAKE_RETENTION_DAYS", 365)
INTAKE_SPAM_RETENTION_DAYS = env_int("INTAKE_SPAM_RETENTION_DAYS", 30)
# Keys for the encrypted request fields (Fernet keys, newest first; see intake/crypto.py)
# and for the keyed hash that lets staff filter by program. Generate a key with:
# python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
if not FIELD_ENCRYPTION_KEYS:
    if not LOCAL:
        raise ImproperlyConfigured(
            "The environment variable FIELD_ENCRYPTION_KEYS is required in production: "
            "one or more Fernet keys, newest first, that encrypt requests' health answers."
        )
    FIELD_ENCRYPTION_KEYS = ["bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMDAwMDA="]
FIELD_INDEX_KEY = env_required("FIELD_INDEX_KEY", "local-development-only-index-key")
# Valid submissions one client may send per window before a friendly 429.
INTAKE_RATE_LIMIT = env_int("INTAKE_RATE_LIMIT", 5)
INTAKE_RATE_WINDOW_SECONDS = env_int("INTAKE_RATE_WINDOW_SECONDS", 900)
# The address staff open the admin at, for links in notification emails.
SITE_URL = env_required("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Security -------------------------------------------------------------------------
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", not LOCAL)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None


def env_networks(name: str) -> list:
    """Comma-separated IP addresses or networks (10.0.0.0/8), checked at start-up."""
    networks = []
    for entry in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated IP addresses or networks such as "
                f"127.0.0.1 or 10.0.0.0/8, not {entry!r}."
            ) from None
    return networks


# Our own reverse proxies. X-Forwarded-For is believed only on connections from one of them,
# so a visitor reaching gunicorn directly cannot choose the address the submission limit and
# the sign-in lock-out count them by (intake.throttle.client_identifier). Empty: the
# connection's own address is the visitor's.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
# django-axes finds the signing-in client the same way as the submission limit.
AXES_CLIENT_IP_CALLABLE = "intake.throttle.client_identifier"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not LOCAL)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if LOCAL else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not LOCAL
SECURE_HSTS_PRELOAD = not LOCAL
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not LOCAL
CSRF_COOKIE_SECURE = not LOCAL
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "recovery_site.views.csrf_failure"
# Nothing runs or loads from anywhere but this site; inline code only with a nonce.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Plus the sha256 hash of the stylesheet every page inlines, added when it is first read
    # (recovery_site/templatetags/site_tags.py, inline_css): a hash, not a nonce, so the page
    # cache may keep the page.
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    # Violations are reported to us (recovery_site/reporting.py): report-to for browsers
    # with the Reporting API, report-uri for the rest (those that know both use report-to).
    "report-uri": ["/csp-report"],
    "report-to": ["csp"],
}
# The "csp" endpoint named above, sent on every response (recovery_site.reporting).
REPORTING_ENDPOINTS = 'csp="/csp-report"'
# Browser features this site never uses, denied to it and to anything it could embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "usb=(), xr-spatial-tracking=()"
)
# The forms send a few kilobytes; anything far larger is refused with the 413 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BODY_BYTES", 100_000)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Logging --------------------------------------------------------------------------
# One JSON line per event on stdout; one line per request (recovery_site.middleware) with a
# request id, method, path without its query string, status and time: never form values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "recovery_site.logging.JsonFormatter"}},
    # Clients' bad requests (a foreign Host, too many fields ...) are warnings, no traceback.
    "filters": {"client_errors": {"()": "recovery_site.logging.ClientErrorFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes logs every sign-in at INFO; lock-outs are WARNING.
        "axes": {"level": "WARNING"},
        # Our request line replaces these, which would print query strings.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# --- The clinic -----------------------------------------------------------------------
# Another clinic runs the same code by setting these.
# The visitor-facing words below are marked with gettext_noop and translated when a page
# is shown (recovery_site/context_processors.py): settings are read before any language.
SAMPLE_LICENCES = [
    gettext_noop(
        "Sample: state treatment licence (licensing body and licence number to be set by the clinic)"
    ),
    gettext_noop("Sample: accreditation (accrediting body to be set by the clinic)"),
]
CLINIC = {
    "name": os.environ.get("CLINIC_NAME", "Harbor Light Recovery"),
    "phone": os.environ.get("CLINIC_PHONE", "(555) 010-4477"),
    "phone_e164": os.environ.get("CLINIC_PHONE_E164", "+15550104477"),
    "email": os.environ.get("CLINIC_EMAIL", "help@example.org"),
    "street": os.environ.get("CLINIC_STREET", "120 Harbor Street"),
    "city": os.environ.get("CLINIC_CITY", "Portland"),
    "region": os.environ.get("CLINIC_REGION", "ME"),
    "postal_code": os.environ.get("CLINIC_POSTAL_CODE", "04101"),
    "country": os.environ.get("CLINIC_COUNTRY", "US"),
    "hours": os.environ.get("CLINIC_HOURS", gettext_noop("Monday to Friday, 8 a.m. to 8 p.m.")),
    # The same words for the Spanish pages, when the clinic sets its own hours above (the
    # defaults are translated by the catalogue).
    "hours_es": os.environ.get("CLINIC_HOURS_ES", ""),
    # The same hours in schema.org's format, for search engines.
    "opening_hours": os.environ.get("CLINIC_OPENING_HOURS", "Mo-Fr 08:00-20:00"),
    "response_promise": os.environ.get(
        "CLINIC_RESPONSE_PROMISE", gettext_noop("within one business day")
    ),
    "response_promise_es": os.environ.get("CLINIC_RESPONSE_PROMISE_ES", ""),
    # The About page's "Licences and accreditation", one line each, separated by "|" or a
    # new line. Only the clinic can state these: the defaults are samples that claim no
    # approval, shown until it sets its own (`check --deploy` warns, recovery_site.W002).
    "licences": [
        line.strip()
        for line in os.environ.get("CLINIC_LICENCES", "").replace("\n", "|").split("|")
        if line.strip()
    ]
    or SAMPLE_LICENCES,
    # A plain-text "Getting here" line (bus, parking, entrance); optional. No map: a map
    # would load from another origin.
    "directions": os.environ.get("CLINIC_DIRECTIONS", "").strip(),
}
# The crisis lines the pages name (the US national ones), written only here: templates
# read them as `crisis_lines` (recovery_site/context_processors.py). `number` is what a
# visitor reads, `tel` what their phone dials.
# `sms` is the number a text goes to, `tty` the line for deaf and hard-of-hearing callers,
# `spanish` how to reach a Spanish speaker (shown with lang="es" on the English pages);
# `spanish_option` the same option in a sentence the Spanish pages show translated.
CRISIS_LINES = {
    "emergency": {"number": "911", "tel": "911"},  # an overdose, any emergency
    # 988 Suicide & Crisis Lifeline: call or text 988; a call offers Spanish as option 2, a
    # text offers it for the word AYUDA (988lifeline.org/get-help/what-to-expect).
    "lifeline": {
        "number": "988",
        "tel": "988",
        "sms": "988",
        "spanish": "En español: llame y oprima 2, o envíe AYUDA al 988",
        "spanish_option": gettext_noop("For Spanish, press 2 when you call, or text AYUDA to 988"),
    },
    # SAMHSA's National Helpline, 1-800-662-HELP (4357): free, confidential, 24/7, in
    # English and Spanish; TTY 1-800-487-4889 (samhsa.gov/find-help/national-helpline).
    "helpline": {
        "number": "1-800-662-4357",
        "tel": "+18006624357",
        "tty": "1-800-487-4889",
        "tty_tel": "+18004874889",
        "spanish": "También en español",
        "spanish_option": gettext_noop("It is free and confidential, with a Spanish option"),
    },
}
# Where "Leave this site quickly" goes: a neutral page that gives nothing away.
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.weather.gov/")
