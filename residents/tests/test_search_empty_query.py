import pytest

from residents.models import Resident
from residents.search import EmptyQuery, read_query

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "   ", "\u3000\u3000", "\t", None])
def test_an_empty_query_asks_for_a_search_word(query):
    with pytest.raises(EmptyQuery, match="検索語を入力してください"):
        Resident.objects.matching(query)


def test_empty_query_is_a_value_error_a_view_can_catch_with_date_errors():
    assert issubclass(EmptyQuery, ValueError)
    assert str(EmptyQuery()) == "検索語を入力してください"


def test_punctuation_alone_finds_nobody_rather_than_everybody():
    assert read_query("・").key == ""
    assert list(Resident.objects.matching("・")) == []
