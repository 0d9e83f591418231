"""Django settings for Tỉnh Số.

Every setting a province may change is an environment variable named ``TINHSO_*``; the full list,
with defaults and meaning, is in ``docs/configuration.md``. Nothing else should need editing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tinhso.config.env import env_bool, env_int, env_list, env_str, parse_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/tinhso
BASE_DIR = Path(env_str("TINHSO_BASE_DIR", str(PACKAGE_DIR.parent.parent))).resolve()
DATA_DIR = Path(env_str("TINHSO_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("TINHSO_DEBUG", False)
# A random key per checkout would log everybody out on every restart; the development default is
# fixed and production refuses to start without its own key (see checks.py).
SECRET_KEY = env_str("TINHSO_SECRET_KEY", "dev-insecure-tinhso-secret-key-change-me-in-production")
ALLOWED_HOSTS = env_list("TINHSO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("TINHSO_CSRF_TRUSTED_ORIGINS", [])
# Base of every link that leaves a request (SMS, e-mail, QR codes on forms, CRL addresses in
# certificates): the address the site is really served at. Required once the site is served to
# others (core/checks.py refuses to start without it); `make run` sets it to the host and port it
# serves (devserver.py). The fallback only keeps a bare `tinhso runserver` on a laptop working.
PUBLIC_URL_SET = bool(env_str("TINHSO_PUBLIC_URL", "").strip())
PUBLIC_URL = env_str("TINHSO_PUBLIC_URL", "").strip().rstrip("/") or "http://localhost"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # "ninja" only so the API docs are served from its bundled Swagger UI files, never from a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "tinhso.core",
    "tinhso.workdays",
    "tinhso.org",
    "tinhso.accounts",
    "tinhso.notifications",
    "tinhso.catalog",
    "tinhso.signing",
    "tinhso.payments",
    "tinhso.dossiers",
    "tinhso.documents",
    "tinhso.petitions",
    "tinhso.ratings",
    "tinhso.exchange",
    "tinhso.reports",
    "tinhso.api",
    "tinhso.web",
    "tinhso.portal",
    "tinhso.backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tinhso.core.middleware.PreferencesLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tinhso.api.middleware.ApiProblemMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tinhso.accounts.middleware.TwoFactorMiddleware",  # after messages: it leaves a notice for the page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tinhso.config.urls"
WSGI_APPLICATION = "tinhso.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tinhso.core.context_processors.site",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
# SQLite is the embedded default (zero set-up); TINHSO_DATABASE_URL=postgresql://… switches to
# PostgreSQL, the production database.
DATABASES = {
    "default": parse_database_url(
        env_str("TINHSO_DATABASE_URL", f"sqlite:///{DATA_DIR / 'tinhso.sqlite3'}"),
        pool=env_bool("TINHSO_DATABASE_POOL", False),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# Dates are always shown dd/mm/yyyy, whatever the language (NĐ 30/2020 and what citizens read).
FORMAT_MODULE_PATH = ["tinhso.config.formats"]

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
TINHSO_MAX_UPLOAD_BYTES = env_int("TINHSO_MAX_UPLOAD_MB", 20) * 1024 * 1024
TINHSO_CLAMAV_SOCKET = env_str("TINHSO_CLAMAV_SOCKET", "")

# --- Cache ------------------------------------------------------------------------------------
# Redis when TINHSO_REDIS_URL is set (needs the `redis` package), so that counters such as the
# tracking rate limit are shared by every gunicorn worker and server; otherwise process-local
# memory, where each worker counts on its own (docs/dossiers.md "Tra cứu").
TINHSO_REDIS_URL = env_str("TINHSO_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TINHSO_REDIS_URL,
         "KEY_PREFIX": "tinhso"}
        if TINHSO_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tinhso"}
    )
}

# --- One-stop shop (docs/dossiers.md) ---------------------------------------------------------
TINHSO_TRACKING_RATE_LIMIT = env_int("TINHSO_TRACKING_RATE_LIMIT", 10)  # lookups per window and IP; 0 = off
TINHSO_TRACKING_RATE_WINDOW = env_int("TINHSO_TRACKING_RATE_WINDOW", 60)  # seconds
TINHSO_TRUSTED_PROXY_COUNT = env_int("TINHSO_TRUSTED_PROXY_COUNT", 0)  # proxies appending X-Forwarded-For
TINHSO_IDEMPOTENCY_TTL_HOURS = env_int("TINHSO_IDEMPOTENCY_TTL_HOURS", 24)
TINHSO_DOSSIER_AT_RISK_WORKING_HOURS = env_str("TINHSO_DOSSIER_AT_RISK_WORKING_HOURS", "7.5")
# Which agency identifier the dossier code prints (docs/dossiers.md "Dossier codes"): "qd20" the
# QĐ 20/2020 code (Agency.code, H44.01.01) or "qcvn102" the 13-character form TT 01/2018 Điều 19
# names (Agency.identifier, 000.01.01.H44).
TINHSO_DOSSIER_CODE_AGENCY_ID = env_str("TINHSO_DOSSIER_CODE_AGENCY_ID", "qd20").strip().lower()
if TINHSO_DOSSIER_CODE_AGENCY_ID not in ("qd20", "qcvn102"):
    raise ImproperlyConfigured("TINHSO_DOSSIER_CODE_AGENCY_ID must be qd20 or qcvn102")
# The longest extension an apology letter (Mẫu 04) may grant, in working days after the current
# appointment; 0 = the procedure's own processing time once more (docs/dossiers.md "Apology").
TINHSO_APOLOGY_MAX_EXTENSION_WORKING_DAYS = env_int("TINHSO_APOLOGY_MAX_EXTENSION_WORKING_DAYS", 0)
# The form number the withdrawal notice (status 7) is printed under ("Mẫu số …" line). Not settled:
# vn-standards lists no TT 03/2025 form for a withdrawal (its Mẫu 05 is the stop notice); empty =
# a plain notice with the elements of NĐ 30/2020 (docs/forms.md "Withdrawal notice").
TINHSO_WITHDRAWAL_FORM_NUMBER = env_str("TINHSO_WITHDRAWAL_FORM_NUMBER", "").strip()

# --- Feedback (PAKN) and satisfaction ratings (docs/petitions.md, docs/ratings.md) -------------
TINHSO_PETITION_REFUSE_DAYS = env_int("TINHSO_PETITION_REFUSE_DAYS", 2)  # working days (vn-standards §6.2)
TINHSO_PETITION_INFO_DAYS = env_int("TINHSO_PETITION_INFO_DAYS", 5)
TINHSO_PETITION_HANDLE_DAYS = env_int("TINHSO_PETITION_HANDLE_DAYS", 15)
TINHSO_PETITION_PUBLISH_DAYS = env_int("TINHSO_PETITION_PUBLISH_DAYS", 2)
TINHSO_PETITION_AT_RISK_WORKING_HOURS = env_str("TINHSO_PETITION_AT_RISK_WORKING_HOURS", "7.5")
TINHSO_PETITION_OBJECTION_DAYS = env_int("TINHSO_PETITION_OBJECTION_DAYS", 30)  # calendar days after the answer
TINHSO_PETITION_SUBMIT_PER_HOUR = env_int("TINHSO_PETITION_SUBMIT_PER_HOUR", 10)  # per account or client IP; 0 = off
TINHSO_PETITION_OTP_PER_HOUR = env_int("TINHSO_PETITION_OTP_PER_HOUR", 10)
TINHSO_PETITION_LOOKUP_PER_HOUR = env_int("TINHSO_PETITION_LOOKUP_PER_HOUR", 20)
TINHSO_PETITION_MAX_FILES = env_int("TINHSO_PETITION_MAX_FILES", 5)
TINHSO_RATING_EDIT_MINUTES = env_int("TINHSO_RATING_EDIT_MINUTES", 60)  # a rating may be changed this long
TINHSO_RATING_KIOSK_MINUTES = env_int("TINHSO_RATING_KIOSK_MINUTES", 30)  # a desk's tablet offers the dossier
TINHSO_RATING_COMMENT_MAX = env_int("TINHSO_RATING_COMMENT_MAX", 2000)  # characters

# --- Background work --------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TINHSO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Time-driven jobs run by `tinhso periodic` (cron, systemd timer, or `--loop` next to the server).
TINHSO_PERIODIC_COMMANDS = [
    "outbox deliver",
    "exchange deliver",
    "notifications deliver",
    "dossiers sweep",
    "petitions sweep",
    "documents sweep",
    "idempotency purge",
    "catalog refresh",
]

# --- Mail and SMS -----------------------------------------------------------------------------
EMAIL_BACKEND = env_str("TINHSO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env_str("TINHSO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TINHSO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("TINHSO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("TINHSO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TINHSO_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("TINHSO_EMAIL_FROM", "Tỉnh Số <no-reply@tinhso.local>")
TINHSO_SMS_PROVIDER = env_str("TINHSO_SMS_PROVIDER", "tinhso.notifications.sms.LoggingSmsProvider")
# Brandname SMS gateways bill per 160 unaccented characters (70 with diacritics) or refuse Unicode:
# texts go out without marks unless this is off (docs/notifications.md).
TINHSO_SMS_ASCII = env_bool("TINHSO_SMS_ASCII", True)
# Segments one SMS may cost before a shorter wording is chosen; 0 = automatic: 1 unaccented, 3 with
# diacritics, since no dossier text with its code and link fits one 70-character Unicode segment.
TINHSO_SMS_MAX_SEGMENTS = env_int("TINHSO_SMS_MAX_SEGMENTS", 0)

# --- Signing ----------------------------------------------------------------------------------
# Key that encrypts private keys at rest (Fernet, url-safe base64 of 32 bytes). The development
# default is derived from SECRET_KEY; production sets its own.
TINHSO_KEY_ENCRYPTION_KEY = env_str("TINHSO_KEY_ENCRYPTION_KEY", "")
TINHSO_TSA_URL = env_str("TINHSO_TSA_URL", "")
# PEM files of root CAs trusted besides the trust anchors kept in the database (docs/signing.md).
TINHSO_TRUST_ROOTS = env_list("TINHSO_TRUST_ROOTS", [])
# Fetch CRLs/OCSP named in certificates when signing and verifying (needs network to the CAs).
TINHSO_SIGNING_FETCH_REVOCATION = env_bool("TINHSO_SIGNING_FETCH_REVOCATION", False)
# One-stop shop: the leader's "sign" needs a personal certificate and "issue_result" the agency's, so
# every e-result carries both signatures; false lets a province without certificates yet issue
# results unsigned (docs/dossiers.md "Signing in the one-stop shop").
TINHSO_RESULT_SIGNING_REQUIRED = env_bool("TINHSO_RESULT_SIGNING_REQUIRED", True)

# --- Exchange (liên thông văn bản, docs/exchange.md) ------------------------------------------
# A member system sends every message for an agency its directory gives no address of its own to the
# province's hub (LGSP role), presenting this credential.
TINHSO_EXCHANGE_HUB_URL = env_str("TINHSO_EXCHANGE_HUB_URL", "")
TINHSO_EXCHANGE_HUB_CREDENTIAL = env_str("TINHSO_EXCHANGE_HUB_CREDENTIAL", "")
# This instance relays messages addressed to agencies it does not serve (it is the hub).
TINHSO_EXCHANGE_IS_HUB = env_bool("TINHSO_EXCHANGE_IS_HUB", False)
TINHSO_EXCHANGE_TIMEOUT_SECONDS = env_int("TINHSO_EXCHANGE_TIMEOUT_SECONDS", 30)
# Largest package accepted (base64 attachments included).
TINHSO_EXCHANGE_MAX_MESSAGE_MB = env_int("TINHSO_EXCHANGE_MAX_MESSAGE_MB", 25)  # below DATA_UPLOAD_MAX_MEMORY_SIZE
# The outbox's back-off (docs/events.md): a delivery to a system that is down waits 30 s, 1 min, 2 min …
TINHSO_OUTBOX_RETRY_BASE_SECONDS = env_int("TINHSO_OUTBOX_RETRY_BASE_SECONDS", 30)
TINHSO_OUTBOX_MAX_ATTEMPTS = env_int("TINHSO_OUTBOX_MAX_ATTEMPTS", 8)
# Tries of one exchange delivery before it is "failed" and waits for a clerk's resend (same back-off).
TINHSO_EXCHANGE_MAX_ATTEMPTS = env_int("TINHSO_EXCHANGE_MAX_ATTEMPTS", 8)

# --- Security ---------------------------------------------------------------------------------
# Failed password attempts allowed per account and per client address in one window (0 = no limit).
TINHSO_LOGIN_MAX_FAILURES = env_int("TINHSO_LOGIN_MAX_FAILURES", 5)
TINHSO_LOGIN_MAX_FAILURES_PER_IP = env_int("TINHSO_LOGIN_MAX_FAILURES_PER_IP", 30)
TINHSO_LOGIN_WINDOW_SECONDS = env_int("TINHSO_LOGIN_WINDOW_SECONDS", 900)
# Staff without two-factor authentication are sent to the enrolment page until they enrol.
TINHSO_STAFF_2FA_REQUIRED = env_bool("TINHSO_STAFF_2FA_REQUIRED", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("TINHSO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- The province this deployment serves --------------------------------------------------------
TINHSO_PROVINCE_CODE = env_str("TINHSO_PROVINCE_CODE", "H44")  # DVCQG code, Phú Thọ in the demo
TINHSO_SITE_NAME = env_str("TINHSO_SITE_NAME", "Cổng dịch vụ công Tỉnh Số")

# --- QĐ 766 score: the rules the reference marks as not verified (docs/reports.md) ---------------
TINHSO_766_COMMUNE_FULL_POINTS = env_bool("TINHSO_766_COMMUNE_FULL_POINTS", True)
TINHSO_766_NO_PETITION_TRANSFER = env_bool("TINHSO_766_NO_PETITION_TRANSFER", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("TINHSO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

