"""Settings shared by every environment. Values that differ come from environment variables.

Environment variables (all listed in README.md):
- DJANGO_SECRET_KEY: secret key (required in production)
- DJANGO_DEBUG: "1"/"true" to enable debug pages (local only)
- DJANGO_ALLOWED_HOSTS: comma-separated host names
- DATABASE_URL: sqlite:////abs/path.sqlite3 or postgres://user@host:port/name
- UNIONPORTAL_* : the portal's own settings, declared below with their defaults
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "django_htmx",
    "unionportal.third_party_apps.TasksDbConfig",
    "unionportal.third_party_apps.AxesConfig",
    "grassroots.apps.GrassrootsConfig",
    "members.apps.MembersConfig",
    "activities.apps.ActivitiesConfig",
    "reports.apps.ReportsConfig",
    "organising.apps.OrganisingConfig",
    "imports.apps.ImportsConfig",
    "approvals.apps.ApprovalsConfig",
    "demo.apps.DemoConfig",
]

MIDDLEWARE = [
    # The client's address behind the proxy, then the body limits: before anything reads the
    # request (CsrfViewMiddleware parses request.POST before the login check).
    "unionportal.net.ClientAddressMiddleware",
    "unionportal.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "unionportal.middleware.NoStoreMiddleware",
    "unionportal.middleware.DatabaseUnavailableMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionportal.urls"
WSGI_APPLICATION = "unionportal.wsgi.application"
ASGI_APPLICATION = "unionportal.asgi.application"

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
                "grassroots.access.context_processors.user_scope",
                "grassroots.access.context_processors.menu_section",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (server + task worker) share the file: wait for locks instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The further indicators in use (codes of grassroots.indicators.CATALOGUE); None: all of them.
# The first three (members, CĐCS, CĐCS with 25+ workers) are always in use. All are on by
# default: the demo holds their records and targets (demo/activities.py). A portal that does not
# track some of them lists the codes it does track, e.g. ("officers_trained", "agreements_a").
UNIONPORTAL_INDICATORS: tuple[str, ...] | None = None

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle (refreshed on every request), 8 hours at most (see middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_MAX_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# the client's address is then the last one the proxy saw (unionportal/net.py). Empty: none.
TRUSTED_PROXIES = env_list("UNIONPORTAL_TRUSTED_PROXIES", "")

# django-axes: 5 failures per username and address lock that pair for 15 minutes; 50 for the
# username from all addresses lock it, except from addresses it logged in from in the last 30
# days (unionportal/lockout.py). The address is the client's, behind the proxy too.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HANDLER = "unionportal.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "unionportal.net.client_ip"
LOGIN_USERNAME_FAILURE_LIMIT = int(os.environ.get("UNIONPORTAL_LOGIN_USERNAME_FAILURE_LIMIT", "50"))
LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("UNIONPORTAL_LOGIN_KNOWN_ADDRESS_DAYS", "30"))

LANGUAGE_CODE = "vi"
# Vietnamese for what Django and the apps leave in English (locale/vi/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
NUMBER_GROUPING = 3
FORMAT_MODULE_PATH = ["unionportal.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Django's form renderer with plain <select>s written in Python (unionportal/forms_renderer.py).
FORM_RENDERER = "unionportal.forms_renderer.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy without unsafe-inline: scripts and styles come from static/ only.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# "This CCCD belongs to a member of another unit" (admission, edit, import) tells that the number
# exists: every such answer is written to the access log, and a user told about this many in
# the window is refused any further admission/edit/import until it has passed.
CCCD_CHECK_LIMIT = int(os.environ.get("UNIONPORTAL_CCCD_CHECK_LIMIT", "20"))
CCCD_CHECK_WINDOW_MINUTES = int(os.environ.get("UNIONPORTAL_CCCD_CHECK_WINDOW_MINUTES", "60"))

# The code of the national confederation (Tổng Liên đoàn) in unit files: a unit whose parent
# is this code is a federation (grassroots.restructuring.national_code).
NATIONAL_CODE = os.environ.get("UNIONPORTAL_NATIONAL_CODE", "TLD")

# Period reports (approvals): the report of a period is due this many days after the period
# ends, per period type (month, quarter, 6 months, 9 months, year); later it counts as late.
REPORT_DEADLINE_DAYS = {
    "thang": int(os.environ.get("UNIONPORTAL_REPORT_DEADLINE_MONTH_DAYS", "5")),
    "quy": int(os.environ.get("UNIONPORTAL_REPORT_DEADLINE_QUARTER_DAYS", "5")),
    "6-thang": int(os.environ.get("UNIONPORTAL_REPORT_DEADLINE_HALF_DAYS", "10")),
    "9-thang": int(os.environ.get("UNIONPORTAL_REPORT_DEADLINE_NINE_MONTHS_DAYS", "10")),
    "nam": int(os.environ.get("UNIONPORTAL_REPORT_DEADLINE_YEAR_DAYS", "15")),
}
# A federation's own report to the national level is due this many days after its units'.
FEDERATION_REPORT_EXTRA_DAYS = int(os.environ.get("UNIONPORTAL_FEDERATION_REPORT_EXTRA_DAYS", "5"))

# Argon2 first (Django's recommended hasher; argon2-cffi): a login costs about 0,28 s of CPU
# against 0,61 s for PBKDF2 on these 2-core machines (see README, Load test). Accounts whose
# password was stored with PBKDF2 keep working and are re-hashed with Argon2 at their next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

# Uploads: spreadsheets only, bounded in size.
UPLOAD_MAX_BYTES = int(os.environ.get("UNIONPORTAL_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Uploaded spreadsheets (members' personal data) not imported are kept this long for confirming
# or running again (an imported one is deleted at once); `manage.py imports_cleanup` deletes them.
IMPORT_FILE_RETENTION_DAYS = float(os.environ.get("UNIONPORTAL_IMPORT_FILE_RETENTION_DAYS", "7"))
# A declared body larger than the upload limit plus this margin (the form's other fields) is
# refused with 413 before anything reads it (unionportal.middleware.RequestBodyLimitMiddleware).
UPLOAD_BODY_MARGIN_BYTES = 64 * 1024
# Files up to this size are checked and written in the request; larger ones by the task worker.
IMPORT_SYNC_MAX_BYTES = int(os.environ.get("UNIONPORTAL_IMPORT_SYNC_MAX_BYTES", str(512 * 1024)))
# An .xlsx whose parts unpack to more than this is refused (zip bombs).
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("UNIONPORTAL_IMPORT_MAX_UNCOMPRESSED_BYTES", str(1024 * 1024 * 1024))
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "unionportal": {"handlers": ["console"], "level": "INFO"},
        # Server errors with their traceback go to the server's log (never to the page):
        # without this, Django logs 500s nowhere when DEBUG is off.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# The city's support scheme (activities.payouts): amounts in đồng by the year of the event
# (founding or signing); a year not listed takes the latest earlier year's amounts.
UNIONPORTAL_SUPPORT_AMOUNTS: dict[int, dict[str, int]] = {
    2020: {
        "grassroots": 5_000_000,
        "recruiter": 1_000_000,
        "agreement_A": 8_500_000,
        "agreement_B": 6_000_000,
    },
}
# A new non-state CĐCS is due its support when it has 25+ members this many months after
# founding (counted at the end of the window).
UNIONPORTAL_SUPPORT_WINDOW_MONTHS = 12
UNIONPORTAL_SUPPORT_MIN_MEMBERS = 25
# The weak CĐCS list (activities.weak): fewer members than this, or no admission for this many
# years.
UNIONPORTAL_WEAK_MIN_MEMBERS = 5
UNIONPORTAL_WEAK_NO_ADMISSION_YEARS = 3
