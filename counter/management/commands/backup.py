"""`madoguchi backup create DIR [--keys FILE]` and `madoguchi backup restore DIR`
(counter.backup; docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from counter import backup


class Command(BaseCommand):
    help = "データベースと様式の設計のファイルをバックアップ・復元します（docs/operations.md）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "restore"])
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--keys",
            metavar="FILE",
            help="create: 鍵（SECRET_KEY、個人番号・監査ログの鍵）をこのファイルにも書き出す。"
            "バックアップとは別の場所に保管すること",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="restore: 上書きの確認をしない",
        )

    def handle(self, *args, action, directory, keys=None, interactive=True, **options):
        try:
            if action == "create":
                self._create(Path(directory), keys)
            else:
                self._restore(Path(directory), interactive)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e

    def _create(self, directory, keys):
        manifest = backup.create(directory, keys_file=Path(keys) if keys else None)
        files = sum(1 for name in manifest["files"] if name.startswith("files/"))
        self.stdout.write(
            _(
                "バックアップを %(dir)s に作成しました（データベース、様式の設計のファイル %(n)s 件、"
                "監査ログ %(count)s 件のアンカー）。"
            )
            % {"dir": directory, "n": files, "count": manifest["audit_anchor"]["count"]}
        )
        if keys:
            self.stdout.write(_("鍵を %(file)s に書き出しました。") % {"file": keys})
        else:
            self.stdout.write(
                _("鍵はこのバックアップに含まれていません。別に保管してください（--keys FILE）。")
            )

    def _restore(self, directory, interactive):
        manifest = backup.check(directory)
        if interactive:
            answer = input(
                _(
                    "%(at)s のバックアップでデータベースと様式の設計のファイルを上書きします。"
                    "続けるには yes と入力してください: "
                )
                % {"at": manifest["created_at"]}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("復元を取りやめました。何も変更していません。"))
        done = backup.restore(directory)
        for aside in done.moved_aside:
            self.stdout.write(_("それまでのファイルは %(dir)s に残しました。") % {"dir": aside})
        self.stdout.write(
            _(
                "復元しました。監査ログ %(n)s 件を検証し（バックアップ時のアンカーまでの記録がすべて"
                "あります）、個人番号 %(m)s 件を復号して確かめました。"
            )
            % {"n": done.audit_entries, "m": done.mynumbers_checked}
        )
