"""The kiosk's languages: やさしい日本語 (with furigana) and the languages most residents of
other origins read. Chosen on the kiosk with ?lang=, never from the browser's
Accept-Language: the kiosk is one terminal for everyone, and the staff screens stay Japanese.
Translations: queues/locale/<language>/LC_MESSAGES/django.po (compiled at set-up)."""

from django.utils import translation

KIOSK_LANGUAGES = [
    ("ja", "やさしい にほんご"),
    ("en", "English"),
    ("zh-hans", "中文"),
    ("ko", "한국어"),
    ("vi", "Tiếng Việt"),
    ("pt-br", "Português"),
]
CODES = dict(KIOSK_LANGUAGES)


def chosen(request) -> str:
    code = request.GET.get("lang") or request.POST.get("lang") or "ja"
    return code if code in CODES else "ja"


def query(code: str) -> str:
    """What a link adds to stay in the kiosk's language (nothing for Japanese)."""
    return "" if code == "ja" else f"?lang={code}"


def override(code: str):
    return translation.override(code)
