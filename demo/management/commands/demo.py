import io

from django.core.management import BaseCommand, CommandError, call_command

from catalog.pack import default_pack
from demo.staff import DEMO_PASSWORD, DemoRefused, ensure_demo_staff, refuse_in_production


class Command(BaseCommand):
    help = "デモ市を用意して（初回のみ生成）、http://127.0.0.1:8000 で起動します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents", type=int, default=20_000, help="生成する住民の数（既定 20,000）"
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="準備だけして起動しない")

    def handle(self, *args, residents, host, port, no_serve, **options):
        try:
            refuse_in_production()  # before a single synthetic resident is written
        except DemoRefused as e:
            raise CommandError(str(e)) from None
        call_command("migrate", verbosity=0, interactive=False)
        call_command("generate_city", residents=residents)
        pack = default_pack()
        logins = ensure_demo_staff({code: d.name for code, d in pack.departments.items()})
        call_command("queue_counters", stdout=io.StringIO())  # the demo offices' 窓口番号
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Madoguchi デモ: http://{host}:{port}/"))
        out.write(f"職員ログイン（パスワードはすべて「{DEMO_PASSWORD}」）:")
        for username, display in logins:
            out.write(f"  {username:<8} {display}")
        out.write("")
        if not no_serve:
            call_command("serve", host=host, port=port)
