from django import template
from django.utils.html import escape
from django.utils.translation import get_language

from queues import furigana

register = template.Library()


@register.filter
def yomi(text):
    """Furigana on the kiosk's kanji when it speaks Japanese; other languages as they are."""
    if (get_language() or "ja").startswith("ja"):
        return furigana.ruby(text)
    return escape(text)
