"""Once a card was read at a visit, the others' card question is one of the 「該当なし」 list
(each holder's card goes on the reader; the rest are asked together whether anyone else has
one); without a card read it stays a question of its own, and the reading can be typed whole."""

import pytest
from django.urls import reverse

from counter.interview import live_context
from counter.models import Visit


@pytest.fixture
def tennyu(clerk_client):
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-holders"},
    )
    return Visit.objects.get()


def _add(client, visit, token, **extra):
    data = {
        "surname": "葛西",
        "given_name": "辰治",
        "birth_date": "S63.5.12",
        "sex": "1",
        "relation": "世帯主",
        "nationality": "JP",
        "token": token,
        **extra,
    }
    r = client.post(reverse("counter:person_add", args=[visit.number]), data)
    assert r.status_code == 302, r.content.decode()[:2000]


def _checklist_facts(visit):
    return {g["fact"].id for g in live_context(visit)["checklist"]}


@pytest.mark.django_db
def test_after_a_card_read_the_others_card_question_is_on_the_checklist(clerk_client, tennyu):
    _add(clerk_client, tennyu, "c1", from_card="1")
    _add(clerk_client, tennyu, "c2", given_name="𠮷乃", birth_date="H30.6.20", relation="子")
    assert tennyu.people.get(key="p1").card_read
    assert "has_mynumber_card" in _checklist_facts(tennyu)
    html = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    assert '<li data-fact="has_mynumber_card">' in html
    # 「該当なし」 answers it, as the clerk's answer.
    r = clerk_client.post(
        reverse("counter:answer_none", args=[tennyu.number]), {"q": "has_mynumber_card:p2"}
    )
    assert r.status_code == 200
    assert tennyu.people.get(key="p2").facts["has_mynumber_card"] is False


@pytest.mark.django_db
def test_without_a_card_read_the_card_question_is_asked_one_by_one(clerk_client, tennyu):
    _add(clerk_client, tennyu, "c1")
    _add(clerk_client, tennyu, "c2", given_name="𠮷乃", birth_date="H30.6.20", relation="子")
    assert "has_mynumber_card" not in _checklist_facts(tennyu)
    r = clerk_client.post(
        reverse("counter:answer_none", args=[tennyu.number]), {"q": "has_mynumber_card:p2"}
    )
    assert "不明な質問です" in r.content.decode()
    assert "has_mynumber_card" not in tennyu.people.get(key="p2").facts


@pytest.mark.django_db
def test_the_whole_reading_typed_in_the_surnames_field_is_split_at_the_space(clerk_client, tennyu):
    _add(clerk_client, tennyu, "c1", surname_kana="かさい　たつじ")
    _add(clerk_client, tennyu, "c2", given_name="美咲", surname_kana="カサイ ミサキ", sex="2")
    # A reading typed in both fields is the clerk's as typed.
    _add(
        clerk_client,
        tennyu,
        "c3",
        given_name="髙志",
        surname_kana="カサイ",
        given_kana="タカシ",
        relation="子",
    )
    assert list(tennyu.people.order_by("order").values_list("name_kana", flat=True)) == [
        "カサイ\u3000タツジ",
        "カサイ\u3000ミサキ",
        "カサイ\u3000タカシ",
    ]
