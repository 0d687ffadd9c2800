"""The phone pages' words, each in two wordings: ordinary Japanese and やさしい日本語 (easy
Japanese, for residents still learning it). The resident switches with one button; both go
through Django's i18n, so other languages can follow as translations of either.

EASY_QUESTIONS words the catalog's questions (catalogs/default/facts.yaml) the easy way; a
fact not listed here is asked in the catalog's own words.
TODO(after the catalog pack refactor): move EASY_QUESTIONS into the pack (`easy:` per fact).
"""

from django.utils.translation import gettext_lazy as _

TEXT = {
    "title": (_("転入・転居・出生の事前入力"), _("ひっこし・うまれた ときの じゅんび")),
    "lead": (
        _(
            "市役所に来る前に、スマートフォンで転入の届出の内容を入力できます。"
            "最後に表示されるQRコードを窓口で見せると、入力した内容で受付が始まります。"
        ),
        _(
            "しやくしょに くる まえに、ここに かいて ください。"
            "さいごに でる QRコードを まどぐちで みせて ください。"
        ),
    ),
    "kept": (
        _(
            "入力した内容は市のサーバーに保管され、QRコードには受付用の番号だけが入ります。"
            "%(days)s日を過ぎると使えなくなり、削除されます。"
        ),
        _(
            "かいた ことは しの コンピューターに のこります。QRコードには ばんごう だけが "
            "はいります。%(days)sにち たつと つかえなく なります。"
        ),
    ),
    "start": (_("入力を始める"), _("はじめる")),
    "easy_on": (_("やさしい にほんご"), _("やさしい にほんご")),
    "easy_off": (_("ふつうの日本語"), _("ふつうの にほんご")),
    "step_move": (_("1. 引っ越しについて"), _("1. ひっこし")),
    "step_people": (_("2. 引っ越す人"), _("2. ひっこす ひと")),
    "step_questions": (_("3. 手続きのための質問"), _("3. しつもん")),
    "step_done": (_("4. 窓口で見せるQRコード"), _("4. まどぐちで みせる QRコード")),
    "new_address": (
        _("新しい住所（%(city)s）"),
        _("あたらしい じゅうしょ（%(city)s）"),
    ),
    "old_address": (_("前の住所"), _("まえの じゅうしょ")),
    "next": (_("次へ"), _("つぎへ")),
    "back": (_("戻る"), _("もどる")),
    "add_person": (_("この人を追加"), _("この ひとを ついか")),
    "add_another": (
        _("一緒に引っ越す人を、一人ずつ追加してください。最初の人が窓口に来る方です。"),
        _(
            "いっしょに ひっこす ひとを ひとりずつ かいて ください。さいしょの ひとが まどぐちに くる ひと です。"
        ),
    ),
    "add_birth": (
        _(
            "生まれたお子さん（生年月日は生まれた日）と、窓口に来る方（父か母）を追加してください。"
            "最初に追加した大人が届出をする方です。"
        ),
        _("うまれた こどもと、まどぐちに くる ひと（おとうさんか おかあさん）を かいて ください。"),
    ),
    "old_address_in_city": (
        _("転居・出生では前の住所（今の住所）は入力しなくて構いません（住民記録から分かります）。"),
        _("しの なかの ひっこしと うまれた ときは、いまの じゅうしょは かかなくて いいです。"),
    ),
    "remove": (_("削除"), _("けす")),
    "nobody": (_("まだ誰も追加されていません。"), _("まだ だれも いません。")),
    "need_person": (
        _("引っ越す人を1人以上追加してください。"),
        _("ひっこす ひとを かいて ください。"),
    ),
    "questions_lead": (
        _("分かるものだけ答えてください。分からないものは「わからない」で構いません。"),
        _(
            "わかる ものだけ こたえて ください。わからない ときは「わからない」を えらんで ください。"
        ),
    ),
    "more_questions": (
        _("答えによって、追加の質問があります。"),
        _("こたえに よって、もう すこし しつもんが あります。"),
    ),
    "no_questions": (
        _("質問はありません。「入力を終える」を押してください。"),
        _("しつもんは ありません。「おわる」を おして ください。"),
    ),
    "yes": (_("はい"), _("はい")),
    "no": (_("いいえ"), _("いいえ")),
    "unknown": (_("わからない"), _("わからない")),
    "none": (_("なし"), _("ない")),
    "household": (_("世帯全体"), _("いえの みんな")),
    "finish": (_("入力を終える"), _("おわる")),
    "done_lead": (
        _(
            "窓口でこのQRコードを見せてください。読み取れないときは、下の番号を職員に伝えてください。"
            "この画面を保存（スクリーンショット）しておくと便利です。"
        ),
        _(
            "まどぐちで この QRコードを みせて ください。よめない ときは、したの ばんごうを "
            "みせて ください。がめんを スクリーンショット して おくと べんり です。"
        ),
    ),
    "expires": (_("有効期限：%(date)s"), _("つかえる ひ：%(date)s まで")),
    "edit": (_("内容を直す"), _("なおす")),
    "used": (
        _("この事前入力は、窓口で受け付けました。ありがとうございました。"),
        _("まどぐちで うけつけ しました。ありがとう ございました。"),
    ),
    "expired": (
        _("この事前入力は有効期限が切れました。お手数ですが、窓口でお申し出ください。"),
        _("つかえる ひが すぎました。まどぐちで はなして ください。"),
    ),
    "saved": (_("保存しました。"), _("ほぞん しました。")),
    "summary": (_("入力した内容"), _("かいた こと")),
}

EASY_QUESTIONS = {
    "health_insurance": _("いま、どの けんこうほけん ですか？"),
    "pension_category": _("こくみんねんきんの しゅるいは どれ ですか？"),
    "has_mynumber_card": _("マイナンバーカードを もって いますか？"),
    "wants_inkan": _("いんかんとうろく（はんこの とうろく）を しますか？"),
    "care_certified": _("かいごの にんてい（ようかいご・ようしえん）を うけて いますか？"),
    "disability_handbooks": _("しょうがいしゃ てちょうを もって いますか？"),
    "pregnant": _("おなかに あかちゃんが いて、ぼしけんこうてちょうを もって いますか？"),
    "child_support_recipient": _("じどうふようてあてを もらって いますか？"),
    "main_earner": _("いえの おかねを おもに かせぐ ひと（じどうてあてを もらう ひと）ですか？"),
    "public_servant": _("こうむいん（くにや しやくしょなどで はたらく ひと）ですか？"),
    "owns_dog": _("とうろく した いぬを かって いますか？"),
    "owns_moped": _("げんつき（ちいさい バイク）を もって いますか？"),
    "joins_spouse_insurance": _(
        "けっこんして、はいぐうしゃの かいしゃの けんこうほけんに はいりますか？"
    ),
    "new_dwelling": _(
        "あたらしい いえで せいかつを はじめますか？（ほかの ひとの いえに はいる ときは「いいえ」）"
    ),
    "wants_daycare": _("ほいくえんなどを つかいたい ですか？"),
    "single_parent": _("ひとりおやの いえ ですか？"),
    "after_school_care": _("ほうかご じどうクラブ（がくどう）を つかいたい ですか？"),
    "low_income": _("がっこうの おかねの たすけ（しゅうがくえんじょ）が ひつよう ですか？"),
    "receives_pension": _("ねんきんを もらって いますか？"),
    "municipal_housing": _("しえい じゅうたくに すみますか？"),
}


def words(easy: bool, **params) -> dict:
    """Every text in the chosen wording, with %(days)s, %(city)s, %(date)s filled in."""
    out = {}
    for key, pair in TEXT.items():
        text = str(pair[1 if easy else 0])
        if "%(" in text:
            try:
                text = text % params
            except (KeyError, ValueError):
                pass
        out[key] = text
    return out


def question_text(fact, easy: bool) -> str:
    return str(EASY_QUESTIONS.get(fact.id, fact.question)) if easy else fact.question
