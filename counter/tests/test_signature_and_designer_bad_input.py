"""The signature page and the field designer answer bodies they cannot use with a 400 and a
Japanese message; nothing is stored or written."""

import base64
import json
from datetime import date

import pytest
from django.urls import reverse

from counter.models import Signature
from printing.blanks import blank
from printing.tests.test_signature_boxes import signature_png


@pytest.fixture
def sign_url(clerk):
    from counter import services
    from counter.tablet import sign_token
    from counter.tests.factories import elderly_couple

    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    return reverse("counter:sign", args=[sign_token(visit)])


PNG = "data:image/png;base64," + base64.b64encode(signature_png(True)).decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('"png"', "本文 は JSON のオブジェクト（{…}）で指定してください。"),
        ("[]", "本文 は JSON のオブジェクト（{…}）で指定してください。"),
        ("", "本文 は JSON のオブジェクト（{…}）で指定してください。"),
        ('{"png": null}', "署名の画像がありません"),
        ('{"png": 12}', "署名の画像がありません"),
        (json.dumps({"png": PNG, "strokes": "abc"}), "署名の筆跡を読めません"),
        (json.dumps({"png": PNG, "strokes": [["\x00"]]}), "署名の筆跡を読めません"),
        (json.dumps({"png": PNG, "strokes": [[[1, 2, 3, 4]]]}), "署名の筆跡を読めません"),
        (json.dumps({"png": PNG, "strokes": [[[1e300, 2]]]}), "署名の筆跡を読めません"),
        ("{png:", "本文を JSON として読めません（1 行 2 文字目）。"),
    ],
)
def test_a_signature_body_that_is_not_one_is_refused(client, sign_url, body, message):
    r = client.post(sign_url, body, content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {"error": message}
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_a_signature_without_strokes_is_kept_with_none(client, sign_url):
    r = client.post(sign_url, json.dumps({"png": PNG}), content_type="application/json")
    assert r.status_code == 200
    assert Signature.objects.get().strokes == []


@pytest.fixture
def designer(client, admin, settings, tmp_path):
    settings.PRINTING_FORMS_DIR = str(tmp_path / "forms")
    settings.PRINTING_DESIGNER_DIR = str(tmp_path / "designer")
    (tmp_path / "designer").mkdir()
    (tmp_path / "designer" / "kokuho_ido.pdf").write_bytes(blank("suido_kaishi"))
    client.force_login(admin)
    return client, tmp_path / "forms"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("[{", "配置した項目を読めません（JSON ではありません）。"),
        ('{"field": "applicant.name"}', "配置した項目は、項目ごとのオブジェクトの配列です。"),
        ("[1, 2]", "配置した項目は、項目ごとのオブジェクトの配列です。"),
        ('[{"field": {"a": 1}, "x": 1}]', "field はデータ項目のIDです"),
        ('[{"field": "applicant.name", "x": [1]}]', "x・y・w・h・size・width・page は数値"),
        ('[{"field": "applicant.name", "x": 1e999}]', "x・y・w・h・size・width・page は数値"),
        ('[{"field": "applicant.name", "align": "<b>"}]', "align は L・C・R"),
        ('[{"field": "applicant.name\\u0000"}]', "配置した項目[0].field に使えない文字（NUL）"),
    ],
)
@pytest.mark.parametrize("view", ["counter:designer_preview", "counter:designer_save"])
def test_a_placement_that_is_not_one_is_refused_and_nothing_written(
    designer, view, fields, message
):
    client, forms_dir = designer
    r = client.post(reverse(view, args=["kokuho_ido"]), {"fields": fields})
    assert r.status_code == 400
    assert message in r.json()["error"], r.json()
    assert not forms_dir.exists()


@pytest.mark.django_db
def test_a_title_that_would_break_the_yaml_file_is_refused(designer):
    client, forms_dir = designer
    fields = '[{"field": "applicant.name", "x": 50, "y": 90, "w": 80, "h": 10}]'
    url = reverse("counter:designer_save", args=["kokuho_ido"])
    r = client.post(url, {"fields": fields, "title": "国保\nkind: generic"})
    assert r.status_code == 400
    assert r.json()["error"] == "様式名に改行や制御文字は使えません。"
    assert not forms_dir.exists()
    # The pack's own form is replaced only when the administrator says so.
    fixed = {"fields": fields, "title": "国保異動届", "replace": "1"}
    assert client.post(url, fixed).status_code == 200
