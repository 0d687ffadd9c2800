"""`madoguchi apitoken <system> --department <code> [--name …] [--push-url …]`: register a core
system and print a new bearer token for it (shown once; only its hash is kept)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Department
from backoffice.api import issue_token
from backoffice.models import CoreSystem


class Command(BaseCommand):
    help = "基幹系システムを登録し、API トークンを発行します（トークンは一度だけ表示）。"

    def add_arguments(self, parser):
        parser.add_argument("system")
        parser.add_argument("--department")
        parser.add_argument("--name", default="")
        parser.add_argument("--push-url", default=None)

    def handle(self, *args, system, department=None, name="", push_url=None, **options):
        found = CoreSystem.objects.filter(code=system).first()
        if found is None:
            if not department:
                raise CommandError("新しいシステムには --department が必要です。")
            dept = Department.objects.filter(code=department).first()
            if dept is None:
                raise CommandError(f"課 {department} がありません。")
            found = CoreSystem.objects.create(
                code=system, name=name or system, department=dept, push_url=push_url or ""
            )
        elif push_url is not None:
            found.push_url = push_url
            found.save(update_fields=["push_url"])
        self.stdout.write(issue_token(found))
