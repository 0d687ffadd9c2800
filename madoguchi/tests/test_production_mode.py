"""MADOGUCHI_ENV=production, read by a fresh process as an operator would start it.

Settings are read once at start-up, so each case runs `manage.py` in a subprocess with the
environment of a production install (and no variable from this test run's own environment
that would change the answer).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User

from demo.staff import DemoRefused, ensure_demo_staff

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "MADOGUCHI_ENV": "production",
    "ALLOWED_HOSTS": "madoguchi.city.example.lg.jp",
}


def run(args, env_extra, tmp_path, *, keys=True):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MADOGUCHI_", "DJANGO_"))
        and k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL")
    }
    env["MADOGUCHI_VAR"] = str(tmp_path)
    if keys:
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
        env["MADOGUCHI_MYNUMBER_KEY"] = Fernet.generate_key().decode()
        env["MADOGUCHI_AUDIT_KEY"] = secrets.token_urlsafe(32)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_of(env_extra, tmp_path) -> dict:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None)"
        " for k in ['SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'AUTH_PASSWORD_VALIDATORS',"
        " 'TWO_FACTOR_ROLES', 'IDLE_TIMEOUT', 'PRODUCTION']}))"
    )
    out = run(["shell", "-c", code], env_extra, tmp_path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    out = run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues (0 silenced)." in out.stdout


def test_check_deploy_does_complain_about_the_demo_settings(tmp_path):
    """The same check on the demo's settings: it would catch production missing any of it."""
    out = run(["check", "--deploy"], {}, tmp_path, keys=False)
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in out.stderr + out.stdout


def test_production_turns_on_https_passwords_and_two_factor(tmp_path):
    s = settings_of(PRODUCTION_ENV, tmp_path)
    assert s["PRODUCTION"] is True
    assert s["SECURE_SSL_REDIRECT"] and s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    names = [v["NAME"].rsplit(".", 1)[1] for v in s["AUTH_PASSWORD_VALIDATORS"]]
    assert "MinimumLengthValidator" in names and "CommonPasswordValidator" in names
    assert set(s["TWO_FACTOR_ROLES"]) == {"admin", "supervisor"}
    assert s["IDLE_TIMEOUT"] == 30 * 60


def test_the_demo_stays_plain(tmp_path):
    s = settings_of({}, tmp_path)
    assert s["PRODUCTION"] is False
    assert not s["SECURE_SSL_REDIRECT"] and not s["SESSION_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 0 and s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["AUTH_PASSWORD_VALIDATORS"] == [] and s["TWO_FACTOR_ROLES"] == []


def test_each_part_can_be_set_on_its_own(tmp_path):
    s = settings_of(
        {
            **PRODUCTION_ENV,
            "MADOGUCHI_PROXY_SSL_HEADER": "",
            "MADOGUCHI_IDLE_MINUTES": "15",
            "MADOGUCHI_2FA_ROLES": "admin",
        },
        tmp_path,
    )
    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["IDLE_TIMEOUT"] == 15 * 60 and s["TWO_FACTOR_ROLES"] == ["admin"]


def test_madoguchi_demo_refuses_in_production_with_a_clear_message(tmp_path):
    out = run(["demo", "--no-serve", "--residents", "10"], PRODUCTION_ENV, tmp_path)
    assert out.returncode != 0
    assert "本番モード" in out.stderr and "「madoguchi」" in out.stderr
    assert "デモ職員アカウント" in out.stderr
    # Refused before anything was written: not even the database file exists.
    assert not (tmp_path / "madoguchi.sqlite3").exists()


@pytest.mark.django_db
def test_no_demo_login_is_created_in_production_whoever_asks(settings):
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused, match="本番モード"):
        ensure_demo_staff({"shimin": "市民課"})
    assert not User.objects.filter(username="shimin").exists()
