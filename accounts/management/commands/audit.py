"""`madoguchi audit verify`: walk the audit log's hash chain and name every broken link."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry


class Command(BaseCommand):
    help = "監査ログのハッシュチェーンを検証します（madoguchi audit verify）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        problems = audit.verify()
        for p in problems:
            self.stderr.write(p)
        if problems:
            raise CommandError(
                _("監査ログの改ざんを検出しました（%(n)s 件）。") % {"n": len(problems)}
            )
        self.stdout.write(
            _("監査ログは改ざんされていません（%(n)s 件を検証）。")
            % {"n": AuditEntry.objects.count()}
        )
