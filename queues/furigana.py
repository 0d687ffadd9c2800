"""Furigana for the kiosk's Japanese: every word in kanji that the kiosk shows, with its
reading. The kiosk's own texts are written in やさしい日本語; what is left in kanji is here.
queues/tests/test_kiosk_languages.py fails when a kanji on the kiosk has no reading."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

READINGS = {
    # purposes and hints (queues.purposes)
    "引越し": "ひっこし",
    "出生": "しゅっせい",
    "証明書": "しょうめいしょ",
    "結婚": "けっこん",
    "離婚": "りこん",
    "保険": "ほけん",
    "年金": "ねんきん",
    "その他": "そのた",
    "他": "ほか",
    "町": "まち",
    "来": "き",
    "行": "い",
    "家": "いえ",
    "変": "か",
    "赤": "あか",
    "生": "う",
    "家族": "かぞく",
    "亡": "な",
    "住民票": "じゅうみんひょう",
    "印鑑": "いんかん",
    "証明": "しょうめい",
    "戸籍": "こせき",
    "届": "とど",
    "国民健康保険": "こくみんけんこうほけん",
    "国民年金": "こくみんねんきん",
    # the kiosk's sentences
    "用事": "ようじ",
    "押": "お",
    "番号札": "ばんごうふだ",
    "受付": "うけつけ",
    "時間": "じかん",
    "月": "げつ",
    "火": "か",
    "水": "すい",
    "木": "もく",
    "金": "きん",
    "土": "ど",
    "日": "にち",
    "曜日": "ようび",
    "今": "いま",
    "出": "だ",
    "待": "ま",
    "人": "にん",
    "分": "ふん",
    "約": "やく",
    "前": "まえ",
    "読": "よ",
    "呼": "よ",
    "最初": "さいしょ",
    "画面": "がめん",
    "戻": "もど",
    "発券": "はっけん",
    "祝日": "しゅくじつ",
    "年末年始": "ねんまつねんし",
    "休": "やす",
    "窓口": "まどぐち",
    "番": "ばん",
    # the offices and the city (accounts.Office, scope.municipality())
    "北見市": "きたみし",
    "本庁": "ほんちょう",
    "端野支所": "たんのししょ",
    "常呂支所": "ところししょ",
    "留辺蘂支所": "るべしべししょ",
    "市役所": "しやくしょ",
}
_WORDS = re.compile("|".join(sorted(map(re.escape, READINGS), key=len, reverse=True)))
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]")


def ruby(text: str) -> str:
    """The text as HTML with <ruby> on every word the table knows (the longest first)."""
    out, at = [], 0
    text = str(text)
    for m in _WORDS.finditer(text):
        out.append(escape(text[at : m.start()]))
        out.append(f"<ruby>{escape(m.group())}<rt>{READINGS[m.group()]}</rt></ruby>")
        at = m.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))
