"""`madoguchi tenant`: the municipalities one deployment serves (tenants.Tenant).

    madoguchi tenant create kitami --pack /srv/packs/kitami
    madoguchi tenant list
    madoguchi --tenant kitami staff add …   # then its staff, offices and departments

The pack (an overlay on the shared catalog) is checked before anything is written; the city's
name, prefecture and 全国地方公共団体コード come from its `municipality` block unless given.
Public host names are configuration (MADOGUCHI_TENANT_HOSTS); the list shows them.
"""

import re
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import transaction

from catalog.pack import PackError, load_pack
from catalog.pack.overlay import read_municipality
from tenants import scope
from tenants.models import Tenant

CODE = re.compile(r"^[a-z0-9][-a-z0-9_]{0,39}$")


class Command(BaseCommand):
    help = "団体（テナント）の追加と一覧。1つのサーバーで複数の市区町村を運用します。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="団体を追加します")
        create.add_argument("code", help="団体のコード名（英小文字・数字、例 kitami）")
        create.add_argument("--pack", help="その団体のカタログパック（省略時はこのサーバーのもの）")
        create.add_argument("--name", help="市区町村名（省略時はパックの municipality.name）")
        create.add_argument("--pref", help="都道府県（省略時はパックの municipality.pref）")
        create.add_argument("--lg-code", help="全国地方公共団体コード（省略時はパックのもの）")
        sub.add_parser("list", help="団体の一覧")

    def handle(self, *args, action, **options):
        if action == "list":
            return self._list()
        return self._create(**options)

    def _list(self):
        for t in Tenant.objects.order_by("number"):
            m = t.municipality()
            self.stdout.write(
                "\t".join(
                    [t.code, m["name"] or "-", m["pref"] or "-", m["code"] or "-", t.pack_dir(),
                     ",".join(t.host_names()) or "-"]
                )
            )  # fmt: skip

    def _create(self, code, pack=None, name=None, pref=None, lg_code=None, **options):
        if not CODE.match(code) or code == scope.DEFAULT:
            raise CommandError(f"団体のコード名「{code}」は使えません（英小文字・数字・-・_）。")
        if Tenant.objects.filter(pk=code).exists():
            raise CommandError(f"団体「{code}」は既にあります。")
        city = {"code": "", "name": "", "pref": ""}
        if pack:
            path = Path(pack).resolve()
            try:
                load_pack(path)
            except PackError as e:
                raise CommandError(f"パック {path} に問題があります:\n{e}") from e
            pack = str(path)
            city = read_municipality(path)
        city = {
            "code": lg_code or city["code"],
            "name": name or city["name"],
            "pref": pref or city["pref"],
        }
        if not city["name"]:
            raise CommandError("市区町村名がありません（--name か、パックの municipality.name）。")
        with transaction.atomic():
            tenant = Tenant.objects.create(
                code=code,
                number=Tenant.next_number(),
                name=city["name"],
                pref=city["pref"],
                lg_code=city["code"],
                pack=pack or "",
            )
        self.stdout.write(
            f"団体「{tenant.code}」（{city['pref']}{city['name']}）を追加しました。"
            f"職員は madoguchi --tenant {tenant.code} staff add … で登録します。"
        )
