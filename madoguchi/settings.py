"""Settings for Madoguchi, driven by environment variables.

Nothing set: SQLite under var/, an in-process cache, the demo city's defaults.
DATABASE_URL (postgres://…) and REDIS_URL (redis://…) switch to the production services.
"""

import os
from pathlib import Path

import dj_database_url

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
    "accounts",
    "residents",
    "catalog",
    "printing",
    "counter",
    "backoffice",
    "queues",
    "remote",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "madoguchi.urls"
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
            ]
        },
    }
]
WSGI_APPLICATION = "madoguchi.wsgi.application"
ASGI_APPLICATION = "madoguchi.asgi.application"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'madoguchi.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the counter screens read while the demo generator or a save writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
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

AUTH_PASSWORD_VALIDATORS = (
    []
    if envbool("MADOGUCHI_DEMO_PASSWORDS", True)
    else [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
    ]
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "counter:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Third-party browser code comes from npm at set-up and is served from here, never a CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist")]
WHITENOISE_USE_FINDERS = True

# Fonts used for printing and served to the browser (IPAmj明朝 shows IVS on screen too).
FONT_DIRS = [Path(p) for p in os.environ.get("MADOGUCHI_FONT_DIRS", "/usr/share/fonts").split(":")]

# The catalog pack the navigator runs on.
CATALOG_DIR = Path(os.environ.get("MADOGUCHI_CATALOG", BASE_DIR / "catalogs" / "default"))

# 元年 or 1年 on printed forms (japanese-text.md: make `1年` a setting).
WAREKI_GANNEN = envbool("MADOGUCHI_WAREKI_GANNEN", True)

# Key that encrypts My Numbers at rest (Fernet, urlsafe base64 of 32 bytes).
# The demo derives one from SECRET_KEY; production sets its own and keeps it out of the DB.
MYNUMBER_KEY = os.environ.get("MADOGUCHI_MYNUMBER_KEY", "")

# Key of the audit log's HMAC chain (accounts/chain.py): without it, DB write access is not
# enough to rewrite entries and recompute the chain. The demo derives one from SECRET_KEY;
# production sets its own, kept outside the database, and never changes it (old entries then fail).
AUDIT_CHAIN_KEY = os.environ.get("MADOGUCHI_AUDIT_KEY") or f"audit-chain:{SECRET_KEY}"

# The demo city is a synthetic 北見市, the city whose counter reform Madoguchi follows.
MUNICIPALITY = {
    "name": os.environ.get("MADOGUCHI_CITY", "北見市"),
    "pref": os.environ.get("MADOGUCHI_PREF", "北海道"),
    "code": os.environ.get("MADOGUCHI_CITY_CODE", "012084"),
}

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
