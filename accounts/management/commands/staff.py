"""`madoguchi staff`: staff accounts for a production install, where the demo logins are refused.

    madoguchi staff add aoki --name "市民課 青木" --role clerk --office honcho --office-name 本庁 \
        --department shimin            # asks the password twice (production's rules apply)
    madoguchi staff otp-reset aoki     # a lost phone: the next login enrols a new one
    madoguchi staff unlock aoki        # lift a lock from failed logins before its time
    madoguchi staff deactivate aoki    # no more logins (reactivate: again)

The administrator's screen (/accounts/staff/) does the same through the same functions
(accounts.services).
"""

import getpass
import sys

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from accounts import audit, services
from accounts.models import Department, Office, Staff


class Command(BaseCommand):
    help = "職員アカウントの作成と、2段階認証のリセット（本番環境用）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="職員を追加します（パスワードは入力を求めます）")
        add.add_argument("username")
        add.add_argument("--name", required=True, help="画面に出る表示名")
        add.add_argument("--role", choices=Staff.Role.values, default=Staff.Role.CLERK)
        add.add_argument("--office", required=True, help="庁舎のコード（例 honcho）")
        add.add_argument("--office-name", help="庁舎がまだなければ、その名前（例 本庁）")
        add.add_argument("--office-kind", choices=Office.Kind.values, default=Office.Kind.MAIN)
        add.add_argument("--department", required=True, help="課の ID（例 shimin）")
        add.add_argument(
            "--password-stdin", action="store_true", help="パスワードを標準入力の1行から読む"
        )
        for name, text in (
            ("otp-reset", "2段階認証の端末を削除します（紛失時）"),
            ("unlock", "ログイン失敗によるロックを解除します"),
            ("deactivate", "アカウントを停止します（ログインできなくなります）"),
            ("reactivate", "停止したアカウントを再開します"),
        ):
            sub.add_parser(name, help=text).add_argument("username")

    def handle(self, *args, action, **opts):
        if action == "add":
            self.add(**opts)
            return
        user = self._user(opts["username"])
        if action == "otp-reset":
            n = services.reset_second_factor(user, by=None)
            self.stdout.write(
                f"{user.username} の2段階認証の端末を {n} 件削除しました。"
                "次のログインで設定し直します。"
            )
        elif action == "unlock":
            if services.unlock_login(user, by=None):
                self.stdout.write(f"{user.username} のログインのロックを解除しました。")
            else:
                self.stdout.write(f"{user.username} のログインはロックされていません。")
        else:
            active = action == "reactivate"
            changed = services.set_active(user, active, by=None)
            state = "再開" if active else "停止"
            self.stdout.write(
                f"{user.username} のアカウントを{state}しました。"
                if changed
                else f"{user.username} のアカウントはすでに{state}しています。"
            )

    def _user(self, username) -> User:
        # This municipality's staff only (--tenant): Staff's manager is the tenant's.
        staff = Staff.objects.filter(user__username=username).select_related("user").first()
        if staff is None:
            raise CommandError(f"ユーザー名「{username}」の職員はいません。")
        return staff.user

    def _password(self, user, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("パスワード: ")
            if password != getpass.getpass("パスワード（確認）: "):
                raise CommandError("パスワードが一致しません。")
        try:
            validate_password(password, user)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        return password

    def add(self, *, username, name, role, office, office_name, office_kind, department, **o):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"ユーザー名「{username}」はすでにあります。")
        office_obj = Office.objects.filter(code=office).first()
        if office_obj is None and not office_name:
            raise CommandError(
                f"庁舎「{office}」がありません。--office-name で名前を指定してください。"
            )
        dept = Department.objects.filter(code=department).first()
        if dept is None:
            from catalog.pack import default_pack

            known = default_pack().departments
            if department not in known:
                raise CommandError(
                    f"課「{department}」はカタログにありません（{', '.join(sorted(known))}）。"
                )
            dept = Department.objects.create(code=department, name=known[department].name)
        user = User(username=username, is_superuser=role == Staff.Role.ADMIN)
        user.set_password(self._password(user, o.get("password_stdin")))
        with transaction.atomic():
            if office_obj is None:
                office_obj = Office.objects.create(code=office, name=office_name, kind=office_kind)
            user.save()
            Staff.objects.create(
                user=user, display_name=name, role=role, office=office_obj, department=dept
            )
            audit.record(None, "account.created", username=username, role=role)
        self.stdout.write(self.style.SUCCESS(f"{name}（{username}）を追加しました。"))
