"""Back up, wipe, restore, and the installation is whole again: the real `madoguchi backup`
commands against a database of their own, of the kind the suite runs on (SQLite in
`make test`, PostgreSQL in the CI pass), then `madoguchi audit verify` with the backup's
anchor and a My Number decrypted. And a restore that cannot succeed changes nothing."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from counter import backup
from lib import mynumber as mn

NUMBER = "12345678901" + str(mn.check_digit("12345678901"))
KEYS = {
    "SECRET_KEY": "backup-test-secret-key",
    "MADOGUCHI_MYNUMBER_KEY": Fernet.generate_key().decode(),
    "MADOGUCHI_AUDIT_KEY": "backup-test-audit-key",
}

SEED = f"""
from datetime import date
from pathlib import Path
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)  # one process less than a separate `madoguchi migrate`
from accounts import audit
from residents import mynumber
from residents.models import Household, Resident
hh = Household.objects.create(household_no="H0000001", zip="0900024", pref="北海道",
    city="北見市", town="北4条東", banchi="1-1")
r = Resident.objects.create(person_no="P00000001", household=hh, name="葛\U000e0100西　辰治",
    name_kana="カサイ　タツジ", birth_date=date(1988, 5, 12), sex="1", relation="世帯主",
    mynumber_enc=mynumber.encrypt("{NUMBER}"))
audit.record(None, "resident.viewed", resident_id=r.id)
audit.record(None, "resident.searched", resident_ids=[r.id], query="カサイ")
for d in (settings.PRINTING_DESIGNER_DIR, settings.PRINTING_FORMS_DIR):
    Path(d).mkdir(parents=True, exist_ok=True)
(Path(settings.PRINTING_DESIGNER_DIR) / "suido_local.pdf").write_bytes(b"%PDF-1.4 blank")
(Path(settings.PRINTING_FORMS_DIR) / "suido_local.yaml").write_text("kind: municipal\\n")
"""

READ_BACK = """
import json
from pathlib import Path
from django.conf import settings
from accounts.models import AuditEntry
from residents import mynumber
from residents.models import Resident
r = Resident.objects.get(person_no="P00000001")
print(json.dumps({
    "name": r.name,
    "number": mynumber.decrypt(r.mynumber_enc),
    "searched_ids": AuditEntry.objects.get(action="resident.searched").detail["resident_ids"],
    "resident_id": r.id,
    "designer": (Path(settings.PRINTING_DESIGNER_DIR) / "suido_local.pdf").read_bytes().decode(),
    "forms": (Path(settings.PRINTING_FORMS_DIR) / "suido_local.yaml").read_text(),
}, ensure_ascii=False))
"""


class Scratch:
    """A database the commands own: a file for SQLite, a database of its own on the
    PostgreSQL server the suite uses (pytest's test_ database is left alone)."""

    def __init__(self, tmp_path: Path):
        self.var = tmp_path / "var"
        self.vendor = connection.vendor
        db = settings.DATABASES["default"]
        if self.vendor == "sqlite":
            self.file = tmp_path / "madoguchi.sqlite3"
            url = f"sqlite:///{self.file}"
        else:
            self.name = f"madoguchi_backup_test_{os.getpid()}"
            auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
            host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            url = f"postgres://{auth}@{host}/{self.name}"
            self._admin = dict(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                user=db["USER"],
                password=db["PASSWORD"] or None,
                dbname="postgres",
            )
            self.wipe()
        self.env = {**os.environ, **KEYS, "DATABASE_URL": url, "MADOGUCHI_VAR": str(self.var)}
        self.env.pop("MADOGUCHI_FORMS_DIR", None)
        self.env.pop("MADOGUCHI_DESIGNER_DIR", None)

    def _pg(self, *statements):
        import psycopg

        with psycopg.connect(**self._admin, autocommit=True) as c:
            for sql in statements:
                c.execute(sql)

    def wipe(self):
        """The database and the data directory's files gone, as after a disk failure."""
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
        else:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                     f'CREATE DATABASE "{self.name}"')  # fmt: skip
        for d in ("designer", "forms"):
            shutil.rmtree(self.var / d, ignore_errors=True)

    def is_empty(self) -> bool:
        if self.vendor == "sqlite":
            return not self.file.exists()
        import psycopg

        with psycopg.connect(**{**self._admin, "dbname": self.name}) as c:
            return (
                c.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[
                    0
                ]
                == 0
            )

    def drop(self):
        if self.vendor != "sqlite":
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def run(self, *args, ok=True, env=None):
        r = subprocess.run([sys.executable, "-m", "madoguchi", *args], cwd=settings.BASE_DIR,
                           env=env or self.env, capture_output=True, text=True, timeout=180)  # fmt: skip
        if ok:
            assert r.returncode == 0, f"madoguchi {' '.join(args)}: {r.stdout}\n{r.stderr}"
        return r


@pytest.fixture
def scratch(tmp_path):
    s = Scratch(tmp_path)
    yield s
    s.drop()


def test_back_up_wipe_restore_and_everything_verifies(scratch, tmp_path):
    scratch.run("shell", "-c", SEED)
    target, keys = tmp_path / "backup", tmp_path / "keys" / "madoguchi.env"
    out = scratch.run("backup", "create", str(target), "--keys", str(keys)).stdout
    assert "バックアップを" in out and "鍵を" in out
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == scratch.vendor
    assert {"files/designer/suido_local.pdf", "files/forms/suido_local.yaml"} <= set(
        manifest["files"]
    )
    assert manifest["audit_anchor"]["count"] == 2
    key_lines = keys.read_text(encoding="utf-8")
    assert KEYS["MADOGUCHI_MYNUMBER_KEY"] in key_lines and oct(keys.stat().st_mode)[-3:] == "600"
    assert KEYS["MADOGUCHI_MYNUMBER_KEY"] not in "".join(
        p.read_text(errors="ignore") for p in target.rglob("*") if p.is_file()
    )  # the keys are not in the backup

    scratch.wipe()
    # With another My Number key the restore refuses before it touches anything.
    wrong = {**scratch.env, "MADOGUCHI_MYNUMBER_KEY": Fernet.generate_key().decode()}
    refused = scratch.run("backup", "restore", str(target), "--no-input", ok=False, env=wrong)
    assert refused.returncode != 0 and "個人番号の鍵" in refused.stderr
    assert scratch.is_empty() and not (scratch.var / "forms").exists()

    done = scratch.run("backup", "restore", str(target), "--no-input").stdout
    assert "復元しました" in done and "個人番号 1 件を復号" in done
    verified = scratch.run("audit", "verify", "--anchor", str(target / "audit-anchor.json"))
    assert "改ざんされていません" in verified.stdout and "アンカー 1 件" in verified.stdout
    back = json.loads(scratch.run("shell", "-c", READ_BACK).stdout.splitlines()[-1])
    assert back["number"] == NUMBER and back["name"] == "葛\U000e0100西　辰治"
    assert back["searched_ids"] == [back["resident_id"]]
    assert back["designer"] == "%PDF-1.4 blank" and back["forms"] == "kind: municipal\n"


# --- what a restore checks before it overwrites anything (in-process, no database copy) ---


def _fake_backup(tmp_path, **changes) -> Path:
    from accounts import verification
    from residents import mynumber

    d = tmp_path / "b"
    (d / "files" / "forms").mkdir(parents=True)
    (d / "files" / "forms" / "x.yaml").write_text("kind: generic\n", encoding="utf-8")
    (d / "database.sqlite3").write_bytes(b"not used")
    manifest = {
        "format": backup.FORMAT,
        "created_at": "2026-04-01T09:00:00+09:00",
        "backend": connection.vendor,
        "database": "database.sqlite3",
        "files": {
            "database.sqlite3": backup._sha256(d / "database.sqlite3"),
            "files/forms/x.yaml": backup._sha256(d / "files" / "forms" / "x.yaml"),
        },
        "audit_anchor": verification.make_anchor(),
        "mynumber_probe": mynumber.cipher().encrypt(backup.PROBE).decode(),
        **changes,
    }
    (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return d


@pytest.mark.django_db
def test_a_sound_backup_passes_the_checks(tmp_path):
    assert backup.check(_fake_backup(tmp_path))["backend"] == connection.vendor


@pytest.mark.django_db
def test_a_damaged_file_is_refused(tmp_path):
    d = _fake_backup(tmp_path)
    (d / "files" / "forms" / "x.yaml").write_text("kind: municipal\n", encoding="utf-8")
    with pytest.raises(
        backup.BackupError, match="files/forms/x.yaml が見つからないか、壊れています"
    ):
        backup.check(d)


@pytest.mark.django_db
def test_another_audit_key_is_refused(tmp_path, settings):
    d = _fake_backup(tmp_path)
    settings.AUDIT_CHAIN_KEY = "another key"
    with pytest.raises(backup.BackupError, match="監査ログの鍵"):
        backup.check(d)


@pytest.mark.django_db
def test_another_mynumber_key_is_refused(tmp_path, settings):
    d = _fake_backup(tmp_path)
    settings.MYNUMBER_KEY = Fernet.generate_key().decode()
    with pytest.raises(backup.BackupError, match="個人番号の鍵"):
        backup.check(d)


@pytest.mark.django_db
def test_a_backup_of_the_other_kind_of_database_is_refused(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(backup.BackupError, match="には復元できません"):
        backup.check(_fake_backup(tmp_path, backend=other))


def test_a_directory_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(backup.BackupError, match="manifest.json"):
        backup.check(tmp_path)


@pytest.mark.django_db
def test_a_backup_is_never_written_over_another_nor_its_keys_inside_it(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(backup.BackupError, match="空ではありません"):
        backup.create(tmp_path / "old")
    with pytest.raises(backup.BackupError, match="別の場所"):
        backup.create(tmp_path / "new", keys_file=tmp_path / "new" / "keys.env")
    assert not (tmp_path / "new").exists()
