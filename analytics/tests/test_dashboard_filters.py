"""A filter the dashboard cannot use is said, in Japanese and naming the filter, on the page and
for the CSV (400); never replaced silently by another period or all offices."""

import pytest
from django.urls import reverse


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-02-30"}, "開始日：日付を正しく入力してください。"),
        ({"end": "tomorrow"}, "終了日：日付を正しく入力してください。"),
        ({"office": "999"}, "庁舎：正しく選択してください。"),
        (
            {"start": "2026-11-10", "end": "2026-11-01"},
            "開始日（2026-11-10）が終了日（2026-11-01）より後です。",
        ),
        ({"start": "2025-01-01", "end": "2026-11-01"}, "期間は 366 日以内で指定してください。"),
    ],
)
def test_a_wrong_filter_is_reported_not_ignored(supervisor_client, query, message):
    r = supervisor_client.get(reverse("analytics:dashboard"), query)
    assert r.status_code == 400
    assert "条件が正しくありません" in r.text and message in r.text
    assert "<svg" not in r.text  # no figures of a period nobody asked for
    csv = supervisor_client.get(reverse("analytics:dashboard_csv"), query)
    assert csv.status_code == 400 and message in csv.content.decode()


@pytest.mark.django_db
def test_good_filters_and_none_show_the_figures(supervisor_client, honcho):
    for query in ({}, {"start": "2026-11-01", "end": "2026-11-07", "office": honcho.pk}):
        r = supervisor_client.get(reverse("analytics:dashboard"), query)
        assert r.status_code == 200 and "<svg" in r.text and "条件が正しくありません" not in r.text


@pytest.mark.django_db
def test_the_csv_is_headed_in_japanese(supervisor_client):
    query = {"start": "2026-11-02", "end": "2026-11-03"}
    r = supervisor_client.get(reverse("analytics:dashboard_csv"), query)
    first = r.content.decode("utf-8-sig").splitlines()[0]
    assert first == "区分,項目,件数,中央値（分）,90%点（分）,対応時間の計（分）,稼働率（%）"
    assert "日別の来庁数,2026-11-02," in r.content.decode("utf-8-sig")
