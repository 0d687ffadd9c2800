"""madoguchi.inputs: every form refuses characters no column stores, naming the field, before
the field itself looks (a ModelChoiceField would query with them); JSON bodies are read and
checked with messages that name the item."""

import json

import pytest
from django import forms
from django.test import RequestFactory

from accounts.models import Department
from madoguchi.inputs import (
    BadInput,
    Form,
    error_text,
    expect_list,
    expect_object,
    expect_text,
    json_body,
    json_response,
    refuse_unstorable_json,
)


class DepartmentForm(Form):
    department = forms.ModelChoiceField(Department.objects.all(), to_field_name="code", label="課")
    note = forms.CharField(label="用件", required=False)
    short = forms.CharField(label="略称", required=False, max_length=2)
    tags = forms.MultipleChoiceField(choices=[("a", "A")], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.CharField(label="あとから", required=False)


@pytest.mark.django_db
def test_a_nul_is_refused_before_the_choice_is_looked_up(demo_staff, django_assert_num_queries):
    form = DepartmentForm({"department": "shimin\x00", "note": "", "later": ""})
    with django_assert_num_queries(0):
        assert not form.is_valid()
    assert form.errors["department"] == ["課に使えない文字（NUL）が含まれています。"]


@pytest.mark.django_db
def test_every_field_is_guarded_also_those_added_in_init(demo_staff):
    form = DepartmentForm(
        {"department": "shimin", "note": "a\ud800", "tags": ["a\x00"], "later": "x\x00"}
    )
    assert not form.is_valid()
    assert form.errors["note"] == ["用件に使えない文字（U+D800）が含まれています。"]
    assert form.errors["tags"] == ["tagsに使えない文字（NUL）が含まれています。"]
    assert form.errors["later"] == ["あとからに使えない文字（NUL）が含まれています。"]


@pytest.mark.django_db
def test_a_clean_form_still_cleans_as_django_does(demo_staff):
    form = DepartmentForm({"department": "shimin", "note": " 葛\U000e0100飾 "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["department"].code == "shimin"
    assert form.cleaned_data["note"] == "葛\U000e0100飾"


@pytest.mark.django_db
def test_error_text_leads_each_error_with_its_label(demo_staff):
    form = DepartmentForm({"department": "nothing", "short": "xxxxx"})
    form.is_valid()
    text = error_text(form)
    assert text.startswith("課：") and "、略称：" in text


def _post(body: bytes):
    return RequestFactory().post("/", data=body, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{'a': 1", "本文を JSON として読めません（1 行 2 文字目）。"),
        (b'{"a": "\xff"}', "本文が UTF-8 の文字列ではありません。"),
        (
            b"1" + b"0" * 5000,
            "本文を JSON として読めません（数値が大きすぎるか、入れ子が深すぎます）。",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "入れ子が深すぎます"),
    ],
)
def test_a_body_that_is_not_json_is_named(body, message):
    with pytest.raises(BadInput) as e:
        json_body(_post(body))
    assert message in str(e.value)


def test_an_empty_body_is_none_and_json_is_json():
    assert json_body(_post(b"")) is None
    assert json_body(_post('{"氏名": "転入"}'.encode())) == {"氏名": "転入"}


def test_shapes_are_named_by_where_they_are():
    with pytest.raises(BadInput, match="本文 は JSON のオブジェクト"):
        expect_object([], "本文")
    with pytest.raises(BadInput, match="世帯員 は JSON の配列"):
        expect_list("太郎", "世帯員")
    with pytest.raises(BadInput, match="reference は文字列で"):
        expect_text(12, "reference")
    with pytest.raises(BadInput, match="reference は 3 文字以内"):
        expect_text("abcd", "reference", max_length=3)
    assert expect_text(90, "郵便番号", numbers=True) == "90"
    with pytest.raises(BadInput):
        expect_text(True, "郵便番号", numbers=True)


def test_an_unstorable_string_deep_in_a_document_is_named_by_its_path():
    with pytest.raises(BadInput) as e:
        refuse_unstorable_json({"世帯員": [{"氏名": "a"}, {"氏名": "b\x00"}]}, "お知らせ")
    assert str(e.value) == "お知らせ.世帯員[1].氏名 に使えない文字（NUL）が含まれています。"
    with pytest.raises(BadInput, match="U\\+DC00"):
        refuse_unstorable_json({"\udc00": 1}, "お知らせ")


def test_a_json_answer_carries_no_raw_markup_and_parses_the_same():
    data = {"予約番号": '<script>alert("x")</script> & more'}
    response = json_response(data, status=400)
    assert b"<" not in response.content and b">" not in response.content
    assert b"&" not in response.content
    assert json.loads(response.content) == data
    assert "予約番号" in response.content.decode()  # Japanese stays readable
