"""The search box as the clerk sees it: households, exact names, clear messages on bad input."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter.tests.factories import household, resident


@pytest.fixture
def kasai(db):
    hh = household(town="北4条東", banchi="3-12")
    head = resident(hh, "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主")
    wife = resident(hh, "葛\U000e0100西　美咲", "カサイ　ミサキ", date(1990, 8, 3), "妻", sex="2")
    return hh, head, wife


@pytest.mark.django_db
def test_a_hiragana_search_shows_the_whole_household_with_exact_names(clerk_client, kasai):
    r = clerk_client.get(reverse("counter:home"), {"q": "かさい たつじ"})
    html = r.content.decode()
    assert "葛\U000e0100西　辰治" in html and "葛\U000e0100西　美咲" in html
    assert "1 世帯が見つかりました" in html


@pytest.mark.django_db
def test_a_plain_kanji_finds_the_ivs_name(clerk_client, kasai):
    html = clerk_client.get(reverse("counter:home"), {"q": "葛西"}).content.decode()
    assert "葛\U000e0100西　辰治" in html


@pytest.mark.django_db
def test_a_birth_date_in_showa_style_finds_nobody_born_on_another_day(clerk_client, kasai):
    html = clerk_client.get(reverse("counter:home"), {"q": "S63.5.12"}).content.decode()
    assert "辰治" in html and "美咲" in html  # the household is shown around the hit
    html = clerk_client.get(reverse("counter:home"), {"q": "S63.5.13"}).content.decode()
    assert "見つかりませんでした" in html


@pytest.mark.django_db
def test_an_empty_search_asks_for_a_search_term(clerk_client, kasai):
    html = clerk_client.get(reverse("counter:home"), {"q": "   "}).content.decode()
    assert "検索語を入力してください" in html


@pytest.mark.django_db
def test_a_date_that_never_existed_is_named_in_the_message(clerk_client, kasai):
    html = clerk_client.get(reverse("counter:home"), {"q": "平成32年1月1日"}).content.decode()
    assert "平成32年は存在しません" in html
    html = clerk_client.get(reverse("counter:home"), {"q": "昭和64年1月8日"}).content.decode()
    assert "昭和64年は1月7日までです" in html


@pytest.mark.django_db
def test_a_search_is_one_audit_entry_listing_every_resident_it_showed(clerk_client, kasai, clerk):
    clerk_client.get(reverse("counter:home"), {"q": "カサイ"})
    entries = list(AuditEntry.objects.filter(action="resident.searched", user=clerk))
    assert len(entries) == 1
    assert set(entries[0].detail["resident_ids"]) == {kasai[1].id, kasai[2].id}
    assert entries[0].detail["query"] == "カサイ"
    # and the audit screen's index finds it under each of them
    assert list(AuditEntry.objects.about(kasai[2].id)) == entries


@pytest.mark.django_db
def test_a_search_with_no_hits_is_logged_and_one_with_no_query_is_not(clerk_client, clerk):
    searched = AuditEntry.objects.filter(action="resident.searched", user=clerk)
    clerk_client.get(reverse("counter:home"), {"q": "ソンザイシナイヒト"})
    assert [e.detail["resident_ids"] for e in searched] == [[]]
    clerk_client.get(reverse("counter:home"), {"q": "   "})
    assert searched.count() == 1
