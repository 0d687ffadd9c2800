"""`madoguchi audit verify [--anchor FILE]`: check the audit log and name every problem.
`madoguchi audit anchor [--output FILE]`: write the log's current head, sealed with the
audit key, for the operator to keep outside the database (docs/operations.md)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import verification


class Command(BaseCommand):
    help = "監査ログを検証します（verify）。現在の末尾をアンカーとして書き出します（anchor）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="FILE",
            help="verify: 以前に書き出したアンカー。その時点までの記録が残っていることも確かめます"
            "（複数指定可）",
        )
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="anchor: 書き出すファイル（省略すると標準出力）。データベースとは別の場所に保管します",
        )

    def handle(self, *args, action, anchor, output, **options):
        if action == "anchor":
            return self._anchor(output)
        anchors = []
        for path in anchor:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as e:
                raise CommandError(
                    _("アンカー %(path)s を開けません（%(error)s）。")
                    % {"path": path, "error": e.strerror}
                ) from e
            try:
                anchors.append(verification.read_anchor(text, path))
            except verification.AnchorError as e:
                raise CommandError(str(e)) from e
        result = verification.check(anchors)
        for n in result.notices:
            self.stderr.write(_("注意: %(notice)s") % {"notice": n})
        for p in result.problems:
            self.stderr.write(p)
        if result.problems:
            raise CommandError(
                _("監査ログの改ざんを検出しました（%(n)s 件）。") % {"n": len(result.problems)}
            )
        message = _("監査ログは改ざんされていません（%(n)s 件を検証）。") % {"n": result.count}
        if anchors:
            message += _("アンカー %(n)s 件の時点までの記録もすべて残っています。") % {
                "n": len(anchors)
            }
        self.stdout.write(message)

    def _anchor(self, output):
        result = verification.check()
        if result.problems:
            for p in result.problems:
                self.stderr.write(p)
            raise CommandError(
                _("監査ログに問題があるため、アンカーを書き出しません（%(n)s 件）。")
                % {"n": len(result.problems)}
            )
        text = json.dumps(verification.make_anchor(), ensure_ascii=False, indent=2) + "\n"
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as e:
            raise CommandError(
                _("アンカーを %(path)s に書けません（%(error)s）。")
                % {"path": output, "error": e.strerror}
            ) from e
        self.stderr.write(
            _("アンカーを %(path)s に書き出しました（記録 %(n)s 件）。")
            % {"path": output, "n": result.count}
        )
