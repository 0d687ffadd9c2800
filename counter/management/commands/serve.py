from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Madoguchi を起動します（uvicorn、静的ファイルは本体から配信）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args, host, port, workers, **options):
        import uvicorn

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        # Parse the fonts and the catalog now, so the first clerk to print does not wait.
        from catalog.pack import default_pack
        from printing.fonts import get_fontset

        default_pack()
        get_fontset()
        self.stdout.write(f"http://{host}:{port}/ で待ち受けます（Ctrl+C で終了）。")
        uvicorn.run(settings.ASGI_APPLICATION.replace(".application", ":application"),
                    host=host, port=port, workers=workers, log_level="warning")
