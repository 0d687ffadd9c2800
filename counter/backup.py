"""Back up and restore an installation (`madoguchi backup create|restore DIR`).

A backup directory holds:
  manifest.json        when, from which database, the SHA-256 of every file, an audit
                       anchor (accounts.verification) and a My Number key probe
  audit-anchor.json    the same anchor, for `madoguchi audit verify --anchor`
  database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
  database.dump        PostgreSQL: pg_dump --format=custom
  files/designer/      the field designer's uploaded blanks (settings.PRINTING_DESIGNER_DIR)
  files/forms/         the templates it saved (settings.PRINTING_FORMS_DIR)
Not the keys (SECRET_KEY, MADOGUCHI_MYNUMBER_KEY, MADOGUCHI_AUDIT_KEY): a copy of the
database is worth little without them, so they are kept apart (docs/operations.md);
`--keys FILE` writes them to a file of their own.

A restore checks everything it can before it overwrites anything: the files against the
manifest, that the keys in the environment decrypt the probe and verify the anchor, and the
database kind. After it, the audit log must verify against the anchor and My Numbers must
decrypt, or the command fails.

Which city hall in Japan runs two kinds of database? None: a SQLite backup restores into
SQLite and a PostgreSQL one into PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import verification
from accounts.chain import anchor_signature, same
from residents import mynumber
from residents.models import Resident

FORMAT = "madoguchi-backup/1"
PROBE = b"madoguchi backup key probe"
FILE_DIRS = {"designer": "PRINTING_DESIGNER_DIR", "forms": "PRINTING_FORMS_DIR"}
CHECK_MYNUMBERS = 200  # decrypted after a restore: enough to catch a wrong key


class BackupError(Exception):
    """str() is the message for the operator, in Japanese."""


@dataclass
class Restored:
    audit_entries: int
    mynumbers_checked: int
    moved_aside: list[Path]


# --- create ------------------------------------------------------------------------------


def create(target: Path, *, keys_file: Path | None = None) -> dict:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(
            _("%(dir)s は空ではありません。新しいバックアップは空のディレクトリに作ります。")
            % {"dir": target}
        )
    if keys_file is not None and _inside(Path(keys_file), target):
        raise BackupError(
            _("鍵のファイルはバックアップと別の場所に書いてください（%(file)s）。")
            % {"file": keys_file}
        )
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The anchor first: the database copy then holds at least every entry it names.
    anchor = verification.make_anchor()
    if connection.vendor == "sqlite":
        database = "database.sqlite3"
        _sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), target / database)
    elif connection.vendor == "postgresql":
        database = "database.dump"
        _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
            "--file", str(target / database))  # fmt: skip
    else:
        raise BackupError(_("このデータベース（%(v)s）のバックアップには対応していません。") % {
            "v": connection.vendor})  # fmt: skip
    # The anchor also on its own, for `madoguchi audit verify --anchor DIR/audit-anchor.json`.
    (target / "audit-anchor.json").write_text(
        json.dumps(anchor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for name, setting in FILE_DIRS.items():
        source = Path(getattr(settings, setting))
        dest = target / "files" / name
        if source.is_dir():
            shutil.copytree(source, dest)
        else:
            dest.mkdir(parents=True)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "backend": connection.vendor,
        "database": database,
        "files": {
            str(p.relative_to(target)): _sha256(p) for p in sorted(target.rglob("*")) if p.is_file()
        },
        "audit_anchor": anchor,
        "mynumber_probe": mynumber.cipher().encrypt(PROBE).decode("ascii"),
    }
    (target / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    if keys_file is not None:
        _write_keys(Path(keys_file))
    return manifest


def _sqlite_copy(source: Path, dest: Path) -> None:
    # The online backup API copies a consistent state while the counter keeps writing.
    src = sqlite3.connect(source)
    dst = sqlite3.connect(dest)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _write_keys(path: Path) -> None:
    lines = [
        "# Madoguchi の鍵。バックアップとは別の場所（別の媒体）に保管してください。",
        f"# {timezone.localtime():%Y-%m-%d %H:%M} に書き出し（docs/operations.md）。",
        f"SECRET_KEY={shlex.quote(settings.SECRET_KEY)}",
    ]
    for env, value, derived in (
        ("MADOGUCHI_MYNUMBER_KEY", settings.MYNUMBER_KEY, "個人番号の鍵"),
        ("MADOGUCHI_AUDIT_KEY", os.environ.get("MADOGUCHI_AUDIT_KEY", ""), "監査ログの鍵"),
    ):
        if value:
            lines.append(f"{env}={shlex.quote(value)}")
        else:
            lines.append(f"# {env} は未設定: {derived}は SECRET_KEY から作られています。")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# --- restore -----------------------------------------------------------------------------


def check(source: Path) -> dict:
    """Everything that can be checked before a restore overwrites anything; the manifest."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BackupError(
            _(
                "%(dir)s に読める manifest.json がありません（madoguchi backup create で作ったディレクトリを指定してください）。"
            )
            % {"dir": source}
        ) from e
    if manifest.get("format") != FORMAT:
        raise BackupError(_("このバックアップの形式には対応していません。"))
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(
                _("バックアップのファイル %(name)s が見つからないか、壊れています。")
                % {"name": name}
            )
    if manifest["backend"] != connection.vendor:
        raise BackupError(
            _("%(have)s のバックアップは %(want)s のデータベースには復元できません。")
            % {"have": manifest["backend"], "want": connection.vendor}
        )
    try:
        ok = mynumber.cipher().decrypt(manifest["mynumber_probe"].encode("ascii")) == PROBE
    except mynumber.InvalidToken:
        ok = False
    if not ok:
        raise BackupError(
            _(
                "個人番号の鍵（MADOGUCHI_MYNUMBER_KEY、未設定なら SECRET_KEY）がバックアップの時と異なります。"
                "鍵を戻してから復元してください。何も変更していません。"
            )  # fmt: skip
        )
    a = manifest["audit_anchor"]
    if not same(
        a["signature"],
        anchor_signature(a["last_id"], a["last_hash"], a["count"], a["at"], a["written_at"]),
    ):
        raise BackupError(
            _(
                "監査ログの鍵（MADOGUCHI_AUDIT_KEY、未設定なら SECRET_KEY）がバックアップの時と異なります。"
                "鍵を戻してから復元してください。何も変更していません。"
            )  # fmt: skip
        )
    return manifest


def restore(source: Path) -> Restored:
    source = Path(source)
    manifest = check(source)
    connections.close_all()
    if manifest["backend"] == "sqlite":
        _sqlite_copy(source / manifest["database"], Path(settings.DATABASES["default"]["NAME"]))
    else:
        # One transaction: a dump that fails half way leaves the database as it was.
        _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", str(source / manifest["database"]))  # fmt: skip
    connections.close_all()
    moved = []
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    for name, setting in FILE_DIRS.items():
        dest = Path(getattr(settings, setting))
        if dest.is_dir() and any(dest.iterdir()):
            aside = dest.with_name(f"{dest.name}.before-restore-{stamp}")
            dest.rename(aside)  # never deleted: what was there is kept beside
            moved.append(aside)
        elif dest.is_dir():
            dest.rmdir()
        shutil.copytree(source / "files" / name, dest)
    return Restored(*_after_restore(manifest), moved_aside=moved)


def _after_restore(manifest) -> tuple[int, int]:
    anchor = dict(manifest["audit_anchor"], source="manifest.json")
    result = verification.check([anchor])
    if result.problems:
        raise BackupError(
            _("復元しましたが、監査ログの検証で問題が見つかりました:\n%(p)s")
            % {"p": "\n".join(result.problems)}
        )
    tokens = list(
        Resident.objects.exclude(mynumber_enc="").values_list("mynumber_enc", flat=True)[
            :CHECK_MYNUMBERS
        ]
    )
    for token in tokens:
        try:
            mynumber.decrypt(token)
        except mynumber.InvalidToken as e:
            raise BackupError(
                _("復元しましたが、個人番号を復号できません（鍵が違います）。")
            ) from e
    return result.count, len(tokens)


# --- helpers -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().is_relative_to(directory.resolve())


def _pg(tool: str, *args: str) -> None:
    """Run pg_dump or pg_restore on the database Django uses, with its connection settings."""
    if shutil.which(tool) is None:
        raise BackupError(
            _(
                "%(tool)s が見つかりません（PostgreSQL のクライアント、Debian では postgresql-client）。"
            )
            % {"tool": tool}
        )
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    conn = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        conn += ["--host", db["HOST"]]
    if db.get("PORT"):
        conn += ["--port", str(db["PORT"])]
    if db.get("USER"):
        conn += ["--username", db["USER"]]
    done = subprocess.run([tool, *conn, "--no-password", *args], env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s が失敗しました:\n%(err)s") % {"tool": tool, "err": done.stderr.strip()}
        )
