"""The read-only catalog browser and its 「試す」 page, as a 市民課 clerk uses them."""

import pytest
from django.urls import reverse

from catalog.pack import default_pack

pytestmark = pytest.mark.django_db


def _page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_browser_needs_a_login(client):
    for name, args in [("catalog:index", ()), ("catalog:event", ("death",)), ("catalog:try", ())]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_index_lists_every_event_the_settings_and_the_version(clerk_client):
    html = _page(clerk_client, "catalog:index")
    pack = default_pack()
    assert pack.version in html
    for event in pack.events.values():
        assert reverse("catalog:event", args=[event.id]) in html and event.name in html
    assert "kodomo_iryo_age" in html and "本庁舎1階 1〜3番窓口" in html


def test_an_event_lists_its_procedures_with_rules_in_words_and_forms(clerk_client):
    html = _page(clerk_client, "catalog:event", "death")
    assert "死亡" in html and "届出での立場が亡くなった方" in html
    assert "介護保険 資格喪失届（被保険者証を返却）" in html
    assert "65歳以上 または 要介護・要支援認定あり" in html
    assert "<code>kaigo_ido</code>" in html
    assert "届出の日（異動日）から7日（初日を含む）" in html
    assert reverse("catalog:procedure", args=["kaigo_soshitsu"]) in html


def test_a_procedure_shows_each_events_rule_source_and_form(clerk_client):
    html = _page(clerk_client, "catalog:procedure", "kokuho_kanyu")
    assert "国民健康保険 資格取得届" in html and "保険年金課" in html
    for event in ("転入", "離婚", "勤務先の健康保険の喪失"):
        assert event in html
    assert "健康保険が国民健康保険・未加入のいずれか かつ 75歳未満（誕生日で数える）" in html
    assert "health_insurance in (kokuho, none)" in html and "<code>kokuho_ido</code>" in html
    # Its deadline says how a closed last day counts.
    assert "末日が土日・祝日・年末年始（12月29日〜1月3日）なら、その次の開庁日まで" in html


def test_unknown_ids_are_404(clerk_client):
    assert clerk_client.get(reverse("catalog:event", args=["nothing"])).status_code == 404
    assert clerk_client.get(reverse("catalog:procedure", args=["nothing"])).status_code == 404


def test_the_try_page_draws_six_rows_and_more_on_request(clerk_client):
    html = _page(clerk_client, "catalog:try")
    assert 'name="p-5-birth_date"' in html and 'name="p-6-birth_date"' not in html
    assert 'name="p-TOTAL_FORMS" value="6"' in html
    html = clerk_client.get(reverse("catalog:try") + "?rows=8").content.decode()
    assert 'name="p-7-birth_date"' in html
    assert 'hx-post="/catalog/try/"' in html and 'accesskey="s"' in html


def _post(client, people, *, events=("tennyu",), date="R8.4.10", htmx=True, **extra):
    rows = 6
    data = {
        "rows": rows, "p-TOTAL_FORMS": rows, "p-INITIAL_FORMS": rows, "p-MIN_NUM_FORMS": 0,
        "p-MAX_NUM_FORMS": 10, "events": list(events), "date": date, "applicant": 1,
    }  # fmt: skip
    for i in range(rows):
        # What the browser sends for a row nobody touched.
        data.update({f"p-{i}-role": "member", f"p-{i}-nationality": "JP", f"p-{i}-sex": "",
                     f"p-{i}-health_insurance": "", f"p-{i}-pension_category": "",
                     f"p-{i}-has_mynumber_card": "false", f"p-{i}-main_earner": "false",
                     f"p-{i}-care_certified": "false"})  # fmt: skip
    for fact in default_pack().facts.values():
        if fact.scope == "household":  # each field's initial value, as the page draws it
            data[f"h_{fact.id}"] = "false" if fact.type == "bool" else ""
    for i, row in enumerate(people):
        data.update({f"p-{i}-{k}": v for k, v in row.items()})
    data.update(extra)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(reverse("catalog:try"), data, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


FAMILY = [
    {"relation": "世帯主", "birth_date": "S36.6.15", "sex": "1", "moving": "on",
     "health_insurance": "kokuho", "pension_category": "none", "other": "犬の登録=はい"},
    {"relation": "妻", "birth_date": "1961-06-16", "sex": "2", "moving": "on",
     "health_insurance": "kokuho", "pension_category": "none", "care_certified": ""},
]  # fmt: skip


def test_it_runs_the_navigator_on_the_household_typed_in(clerk_client):
    html = _post(clerk_client, FAMILY, date="2026-06-14", h_new_dwelling="true")
    assert "<html" not in html  # htmx swaps only the result
    assert 'data-id="kaigo_tennyu" data-person="1" data-status="applies"' in html  # 65 today
    assert 'data-id="kaigo_tennyu" data-person="2"' not in html  # 64
    assert 'data-id="inu_henko" data-person="1"' in html
    assert 'data-id="suido_kaishi" data-person="" data-status="applies"' in html
    # 14日 from 6月14日 ends on Sunday 6月28日: the next open day, in 和暦.
    assert "令和8年6月29日" in html
    assert "65歳以上（65歳）のため" in html


def test_an_unknown_fact_shows_needs_check_with_its_question_and_the_questions_left(clerk_client):
    html = _post(clerk_client, FAMILY, date="2026-06-14")
    assert 'data-id="kaigo_nintei_hikitsugi" data-person="2" data-status="needs_check"' in html
    assert "要介護・要支援の認定を受けていますか？" in html
    assert "残りの質問 1件" in html and "2: 妻" in html


def test_rows_left_blank_are_no_one_and_the_full_page_also_works(clerk_client):
    html = _post(clerk_client, FAMILY[:1], htmx=False)
    assert "<html" in html and 'id="try-results"' in html
    assert 'data-person="2"' not in html


def test_typing_mistakes_are_explained_next_to_the_row(clerk_client):
    bad = [{**FAMILY[0], "birth_date": "S36.2.30"}, {**FAMILY[1], "other": "犬=たくさん"}]
    html = _post(clerk_client, bad)
    assert "入力を確かめてください" in html
    assert "1行目 生年月日" in html and "2行目 その他の事実" in html
    assert 'id="try-results"' not in html


def test_a_visit_needs_someone_and_an_event(clerk_client):
    html = _post(clerk_client, [], events=())
    assert "届出の種類を選んでください。" in html
    html = _post(clerk_client, [])
    assert "世帯員を1人以上入力してください。" in html
