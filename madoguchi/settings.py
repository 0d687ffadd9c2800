"""Settings for Madoguchi, driven by environment variables.

Nothing set: SQLite under var/, an in-process cache, the demo city's defaults.
DATABASE_URL (postgres://…) and REDIS_URL (redis://…) switch to the production services.
"""

import os
from pathlib import Path

import dj_database_url

from catalog.pack import read_municipality

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MADOGUCHI_VAR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "madoguchi-demo-only-not-for-production")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",  # only for its static files: htmx itself, served by whitenoise (no npm)
    "tenants",
    "accounts",
    "residents",
    "catalog",
    "printing",
    "counter",
    "backoffice",
    "queues",
    "remote",
    "preentry",
    "training",
    "analytics",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "madoguchi.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "madoguchi.middleware.RateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every query after this point is the request's tenant's (tenants.scope).
    "madoguchi.middleware.TenantMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "madoguchi.middleware.IdleTimeoutMiddleware",
    "madoguchi.middleware.TwoFactorMiddleware",
    # A trainee's session works in the training register (residents.practice).
    "training.middleware.PracticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "madoguchi.urls"
# Form widgets drawn by Jinja2 from Django's own widget templates (same HTML): the Django
# template engine took a fifth of the visit page's time for its 30-odd widgets (bench/load.py).
FORM_RENDERER = "django.forms.renderers.Jinja2"
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
                "madoguchi.context.municipality",
                "madoguchi.context.production",
                "madoguchi.context.services",
                "training.context.practice",
            ]
        },
    }
]
WSGI_APPLICATION = "madoguchi.wsgi.application"
ASGI_APPLICATION = "madoguchi.asgi.application"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'madoguchi.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the counter screens read while the demo generator or a save writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file, not Django's shared in-memory database: the browser tests' live server
    # and the threaded tests then open a connection per thread, as a real server does, instead
    # of sharing one (where two requests at once fail with "cannot start a transaction within
    # a transaction" or "table is locked").
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif (_pool_size := envint("MADOGUCHI_DB_POOL_SIZE", envint("MADOGUCHI_THREADS", 8))) > 0:
    # A bounded pool per process: each of the MADOGUCHI_THREADS request threads (madoguchi.asgi)
    # takes a connection at its first query and gives it back when its request ends; with all
    # in use, a request waits (up to the timeout) rather than opening more. A connection kept
    # per thread (CONN_MAX_AGE) under Django's ASGI handler, a thread per request, had
    # exhausted PostgreSQL's max_connections with 200 counters. `madoguchi serve` checks
    # workers × size against max_connections. Size 0 turns the pool off (PgBouncer: README).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(envint("MADOGUCHI_DB_POOL_MIN", 1), _pool_size),
        "max_size": _pool_size,
        # Each request thread has a connection of its own in the pool, so a wait this long means
        # the database is down: the clerk gets the outage page in seconds, not half a minute.
        "timeout": envint("MADOGUCHI_DB_POOL_TIMEOUT", 5),
        # Connections above min_size that a burst opened are closed after a minute unused.
        "max_idle": envint("MADOGUCHI_DB_POOL_MAX_IDLE", 60),
    }
else:
    # An external pooler (PgBouncer in transaction mode) hands each transaction any server
    # connection: no server-side cursors, which live across transactions.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Requests one web worker process runs at once (madoguchi.asgi), each with at most one
# database connection: the pool above is as large by default.
MADOGUCHI_THREADS = envint("MADOGUCHI_THREADS", 8)
# `madoguchi serve` runs `madoguchi remote_due --loop` this often, in seconds: a booked リモート相談
# reaches the department's lobby within this of its time. 0: serve does not run it (a site that
# crons it; `serve --no-remote-due` says the same).
REMOTE_DUE_EVERY = envint("MADOGUCHI_REMOTE_DUE_EVERY", 30)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down answers at once; one that hangs must not hang a page either.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live call displays (queues): one process needs no broker; several share calls through Redis
# pub/sub, which fans a call out once per process (bench/display.py; docs/queue.md).
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("MADOGUCHI_CHANNEL_PREFIX", "madoguchi"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# The call display and the phone page hear a beat through the channel layer this often (s);
# a screen whose beat stops shows its connection banner and reconnects (queues/consumers.py).
MADOGUCHI_LIVE_BEAT = float(os.environ.get("MADOGUCHI_LIVE_BEAT", "10"))

# Remote counter (remote/): browsers connect peer to peer on the municipal LAN, so no STUN at
# all by default (there is no internet); a TURN server only where the network needs a relay.
MADOGUCHI_ICE_SERVERS = (
    [
        {
            "urls": [os.environ["MADOGUCHI_TURN_URL"]],
            "username": os.environ.get("MADOGUCHI_TURN_USERNAME", ""),
            "credential": os.environ.get("MADOGUCHI_TURN_CREDENTIAL", ""),
        }
    ]
    if os.environ.get("MADOGUCHI_TURN_URL")
    else []
)

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "counter:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Production mode --------------------------------------------------------------------------
# MADOGUCHI_ENV=production turns on what a city hall's network needs and the demo must not have:
# HTTPS only, password rules, two-factor for admins and supervisors, no demo logins
# (docs/security.md). Each part has its own variable so an operator can say why it
# differs; the demo (nothing set) stays plain HTTP with the password 「madoguchi」.
PRODUCTION = os.environ.get("MADOGUCHI_ENV") == "production"

# Password rules: the demo's 「madoguchi」 passes none of them.
AUTH_PASSWORD_VALIDATORS = (
    []
    if envbool("MADOGUCHI_DEMO_PASSWORDS", not PRODUCTION)
    else [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
)

# HTTPS. A reverse proxy usually ends TLS and sets X-Forwarded-Proto; MADOGUCHI_PROXY_SSL_HEADER=""
# when the server is reached directly (then nothing the client sends can claim HTTPS).
HTTPS = envbool("MADOGUCHI_HTTPS", PRODUCTION)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("MADOGUCHI_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("MADOGUCHI_HSTS_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("MADOGUCHI_HSTS_PRELOAD", HTTPS)
_proxy_ssl_header = os.environ.get(
    "MADOGUCHI_PROXY_SSL_HEADER", "X-Forwarded-Proto" if PRODUCTION else ""
)
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MADOGUCHI_CSRF_ORIGINS", "").split(",") if o]

# The client address for rate limits and lockouts: REMOTE_ADDR, unless it is one of these proxies
# (addresses or networks); then the last address in MADOGUCHI_CLIENT_IP_HEADER that is not one.
# `madoguchi serve` (uvicorn) already trusts X-Forwarded-For from 127.0.0.1 by itself.
TRUSTED_PROXIES = [p for p in os.environ.get("MADOGUCHI_TRUSTED_PROXIES", "").split(",") if p]
CLIENT_IP_HEADER = os.environ.get("MADOGUCHI_CLIENT_IP_HEADER", "X-Forwarded-For")

# Sessions end after MADOGUCHI_IDLE_MINUTES without a click or a save (polls do not count), and
# the page warns MADOGUCHI_IDLE_WARNING_SECONDS before; a working day at most in any case.
IDLE_TIMEOUT = envint("MADOGUCHI_IDLE_MINUTES", 30) * 60
IDLE_WARNING = envint("MADOGUCHI_IDLE_WARNING_SECONDS", 120)
SESSION_COOKIE_AGE = envint("MADOGUCHI_SESSION_HOURS", 12) * 3600
# A staff WebSocket (the remote room's) reads its session again this often, and closes once a
# page would no longer open: idle, logged out elsewhere, second factor owed (accounts/sockets.py).
STAFF_SOCKET_CHECK = envint("MADOGUCHI_STAFF_SOCKET_CHECK_SECONDS", 30)

# Failed logins (madoguchi/throttle.py, on the cache: Redis when REDIS_URL is set): this many
# failures lock a user name, or an address, for MADOGUCHI_LOGIN_LOCK_MINUTES.
LOGIN_FAILURES_PER_USER = envint("MADOGUCHI_LOGIN_FAILURES_PER_USER", 5)
LOGIN_FAILURES_PER_ADDRESS = envint("MADOGUCHI_LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_LOCK_SECONDS = envint("MADOGUCHI_LOGIN_LOCK_MINUTES", 15) * 60

# Public pages, per client address: "group=count/seconds,…" overrides one group's limit.
# A kiosk terminal's own address (MADOGUCHI_KIOSK_ADDRESSES) issues every resident's ticket,
# so it has its own, larger limit.
RATE_LIMITS = {
    "ticket": (5, 600),  # tickets from the kiosk page: a family, not a pad of them
    "ticket_kiosk": (10, 60),  # a kiosk terminal: one tap every few seconds at the busiest
    "booking": (3, 3600),  # reservations made (a slot holds a few; one address cannot fill it)
    "booking_try": (20, 3600),  # booking forms sent, typos included
    "sign": (20, 600),  # signatures sent from a tablet
    "public": (300, 60),  # any public page, the phone's wait page polls included
    "preentry_new": (10, 3600),  # pre-entries started (a family or two behind one address)
    "preentry_save": (120, 600),  # pre-entry forms sent, typos included
    "preentry_miss": (10, 600),  # unknown pre-entry pages: 10 lock the address for 10 minutes
}
for _item in filter(None, os.environ.get("MADOGUCHI_RATE_LIMITS", "").split(",")):
    _group, _, _rate = _item.partition("=")
    _count, _, _seconds = _rate.partition("/")
    RATE_LIMITS[_group.strip()] = (int(_count), int(_seconds))
# A resident's pre-entry (事前入力) on their phone opens a visit at the counter until it is this
# many days old; then it is refused, and `manage.py preentry_purge` deletes it.
PREENTRY_DAYS = envint("MADOGUCHI_PREENTRY_DAYS", 14)
KIOSK_ADDRESSES = [a for a in os.environ.get("MADOGUCHI_KIOSK_ADDRESSES", "").split(",") if a]

# Two-factor (TOTP, django-otp): required for these roles; anyone else may turn it on, and
# once on it is asked at every login.
TWO_FACTOR_ROLES = [
    r
    for r in os.environ.get("MADOGUCHI_2FA_ROLES", "admin,supervisor" if PRODUCTION else "").split(
        ","
    )
    if r
]

# Content-Security-Policy (madoguchi/middleware.py): every script and style is a file served
# by the system; data: and blob: images are the favicon and the designer's preview;
# 'self' covers ws:/wss: for the displays and the remote counter's signaling.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
CSRF_FAILURE_VIEW = "madoguchi.errors.csrf_failure"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Third-party browser code (htmx) comes with a pip package (django-htmx's static files) and is
# served from here, never a CDN.
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

# Tenants (several municipalities on one deployment, docs/operations.md): the public pages'
# host names of each, "kitami.example.jp=kitami,abashiri.example.jp=abashiri". Read from
# here, not the database, so a page knows its city without a query.
TENANT_HOSTS = {
    host.strip().lower(): code.strip()
    for host, _, code in (
        item.partition("=")
        for item in os.environ.get("MADOGUCHI_TENANT_HOSTS", "").split(",")
        if "=" in item
    )
}

# The catalog pack the navigator runs on.
CATALOG_DIR = Path(os.environ.get("MADOGUCHI_CATALOG", BASE_DIR / "catalogs" / "default"))

# The city is the active pack's `municipality` block ({code, name, pref}), read once here:
# the counter's address defaults, the printed （あて先）and slip, the address search, the
# core-system export and the demo city all name it. `catalog check` validates the block.
# A test that points CATALOG_DIR at another pack sets MUNICIPALITY from it too.
MUNICIPALITY = read_municipality(CATALOG_DIR)
# The name the authenticator app shows for the second factor (django-otp).
OTP_TOTP_ISSUER = f"Madoguchi {MUNICIPALITY['name']}"

# The field designer's files live under the data directory, never in the source tree, so
# that a backup of VAR_DIR (madoguchi backup) holds them: the uploaded blanks, and the
# templates it saves, read over the pack's own forms (printing.templates_loader).
PRINTING_DESIGNER_DIR = Path(os.environ.get("MADOGUCHI_DESIGNER_DIR", VAR_DIR / "designer"))
PRINTING_FORMS_DIR = Path(os.environ.get("MADOGUCHI_FORMS_DIR", VAR_DIR / "forms"))

# Key that encrypts My Numbers at rest (Fernet, urlsafe base64 of 32 bytes).
# The demo derives one from SECRET_KEY; production sets its own and keeps it out of the DB.
MYNUMBER_KEY = os.environ.get("MADOGUCHI_MYNUMBER_KEY", "")

# The My Number card reader of the counter (counter/card.py): "pcsc:" for a PC/SC reader
# through pyscard, "simulated:" for the demo's synthetic card, "" for none. The demo
# (not production) reads the simulated card unless told otherwise.
CARD_READER = os.environ.get("MADOGUCHI_CARD_READER", "" if PRODUCTION else "simulated:")
# Where the counter PC's own card-reader bridge listens (`madoguchi card-bridge`, e.g.
# http://127.0.0.1:8765): when set, the counter page reads the card through it, on the PC the
# reader is plugged into, and the Content-Security-Policy's connect-src allows that origin.
CARD_BRIDGE_URL = os.environ.get("MADOGUCHI_CARD_BRIDGE_URL", "").strip().rstrip("/")

# Key of the audit log's HMAC chain (accounts/chain.py): without it, DB write access is not
# enough to rewrite entries and recompute the chain. The demo derives one from SECRET_KEY;
# production sets its own, kept outside the database, and never changes it (old entries then fail).
AUDIT_CHAIN_KEY = os.environ.get("MADOGUCHI_AUDIT_KEY") or f"audit-chain:{SECRET_KEY}"

# The address residents' phones reach the system at (https://madoguchi.city.example.jp): the
# kiosk's ticket QR code points there, not at the kiosk's own host on the office network.
# Unset (development), the address the kiosk itself used.
PUBLIC_URL = os.environ.get("MADOGUCHI_PUBLIC_URL", "").rstrip("/")

# Where spoken announcements are kept once made (queues.speech: one WAV per text).
SPEECH_CACHE_DIR = Path(os.environ.get("MADOGUCHI_SPEECH_DIR", VAR_DIR / "speech"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The name fonts, served to the staff screens by the system itself so that IVS and MJ
# characters show on screen exactly as they print (IPAmj明朝 for Moji_Joho, IPAex for Adobe-Japan1).
for _font_dir in ("/usr/share/fonts/truetype/ipamj", "/usr/share/fonts/opentype/ipaexfont-mincho"):
    if Path(_font_dir).is_dir():
        STATICFILES_DIRS.append((f"fonts/{Path(_font_dir).name}", _font_dir))
