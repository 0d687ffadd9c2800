"""A production install refuses to start on the demo's secrets; the SQLite demo does not care."""

from accounts.checks import DEMO_SECRET, secrets_are_set


def test_the_sqlite_demo_needs_no_secrets(settings, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MADOGUCHI_ENV", raising=False)
    settings.SECRET_KEY, settings.MYNUMBER_KEY = DEMO_SECRET, ""
    assert secrets_are_set(None) == []


def test_production_on_the_demo_secret_and_no_mynumber_key_is_an_error(settings, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_ENV", "production")
    settings.SECRET_KEY, settings.MYNUMBER_KEY = DEMO_SECRET, ""
    monkeypatch.delenv("MADOGUCHI_AUDIT_KEY", raising=False)
    assert {p.id for p in secrets_are_set(None)} == {
        "madoguchi.E001",
        "madoguchi.E002",
        "madoguchi.E003",
    }


def test_production_with_its_own_keys_passes(settings, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_ENV", "production")
    monkeypatch.setenv("MADOGUCHI_AUDIT_KEY", "a" * 44)
    settings.SECRET_KEY, settings.MYNUMBER_KEY = "s" * 50, "k" * 44
    assert secrets_are_set(None) == []


def test_postgresql_without_keys_is_warned(settings, monkeypatch):
    monkeypatch.delenv("MADOGUCHI_ENV", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://x@127.0.0.1/y")
    settings.SECRET_KEY, settings.MYNUMBER_KEY = DEMO_SECRET, ""
    monkeypatch.delenv("MADOGUCHI_AUDIT_KEY", raising=False)
    assert {p.id for p in secrets_are_set(None)} == {
        "madoguchi.W001",
        "madoguchi.W002",
        "madoguchi.W003",
    }
