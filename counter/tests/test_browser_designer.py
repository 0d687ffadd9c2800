"""In Chromium: an administrator uploads a blank of two pages, places text, a date with its 元号,
digit boxes, a circled choice and an AcroForm field, drags and resizes a frame, previews,
saves, reopens the saved layout and saves a second version."""

import base64
import io
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from demo.staff import DEMO_PASSWORD
from printing.blanks import blank, city_style
from printing.pdf import render_single_form
from printing.samples import family_of_four
from printing.templates_loader import load_templates
from printing.tests import raster
from printing.tests.acro_blanks import build

K = 72 / 25.4  # the page image is 72 dpi: pixels per millimetre


def two_pages() -> bytes:
    """The city-style blank with an AcroForm field for the phone, then the water form's page."""
    writer = PdfWriter()
    first = build([{"name": "renraku.tel", "rect": (150, 136, 45, 8)}])
    for part in (first, blank("suido_kaishi")):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def admin_page(page, admin, settings, tmp_path):
    settings.PRINTING_FORMS_DIR = str(tmp_path / "forms")
    settings.PRINTING_DESIGNER_DIR = str(tmp_path / "designer")
    page.goto("/accounts/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


def _upload(page, form_id: str, pdf: bytes):
    page.goto(reverse("counter:designer"))
    page.fill("input[name=form_id]", form_id)
    page.set_input_files("input[name=pdf]", files=[
        {"name": "blank.pdf", "mimeType": "application/pdf", "buffer": pdf}])  # fmt: skip
    page.click("#designer-upload button[type=submit]")


def _place(page, field: str, render: str, x_mm: float, y_mm: float):
    page.select_option("#field", field)
    page.select_option("#render", render)
    img = page.locator("#page").bounding_box()
    page.mouse.click(img["x"] + x_mm * K, img["y"] + y_mm * K)


def _preview_image(page) -> Image.Image:
    # Read the shown image back through a canvas (the Content-Security-Policy lets a page fetch
    # nothing but its own server, not even its own blob: URLs).
    data_url = page.evaluate("""() => {
        const img = document.getElementById('preview-img');
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        c.getContext('2d').drawImage(img, 0, 0);
        return c.toDataURL('image/png');
    }""")
    return Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1]))).convert("L")


def _ink(img, x, y, w, h) -> int:
    crop = img.crop((round(x * K), round(y * K), round((x + w) * K), round((y + h) * K)))
    return sum(crop.point(lambda v: 255 if v < 128 else 0).histogram()[255:])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_designs_a_two_page_form_with_every_kind_of_box(admin_page, tmp_path):
    page = admin_page
    page.on("dialog", lambda d: d.accept())  # 「上書きしますか？」: the pack has a template

    # A form id no procedure prints, and a PDF that is not one, are refused with a message.
    _upload(page, "suido_test", blank("suido_kaishi"))
    expect(page.locator("p.error")).to_contain_text("どの手続にもありません")
    _upload(page, "suido_kaishi", b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    expect(page.locator("p.error")).to_contain_text("PDFとして読めません")
    assert not (tmp_path / "designer" / "suido_kaishi.pdf").exists()
    # The list of the pack's form ids is on the page.
    assert page.locator("#designer-forms tr[data-form='suido_kaishi']").count() == 1

    _upload(page, "suido_kaishi", two_pages())
    page.wait_for_url("**/designer/suido_kaishi/")
    expect(page.locator("#page")).to_have_js_property("complete", True)

    _place(page, "applicant.name", "text", 53, 71)
    row = page.locator("#placed tbody tr[data-field='applicant.name']")
    assert abs(float(row.locator("input[name=x]").input_value()) - 53) < 1
    # Drag the frame 10 mm right, then its corner 20 mm wider and 4 mm taller.
    marker = page.locator("#sheet .marker[data-field='applicant.name']")
    box = marker.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 5 + 10 * K, box["y"] + 5, steps=5)
    page.mouse.up()
    assert abs(float(row.locator("input[name=x]").input_value()) - 63) < 1
    grip = page.locator("#sheet .marker[data-field='applicant.name'] .grip").bounding_box()
    page.mouse.move(grip["x"] + 3, grip["y"] + 3)
    page.mouse.down()
    page.mouse.move(grip["x"] + 3 + 20 * K, grip["y"] + 3 + 4 * K, steps=5)
    page.mouse.up()
    assert abs(float(row.locator("input[name=w]").input_value()) - 100) < 1
    assert abs(float(row.locator("input[name=h]").input_value()) - 12) < 1

    _place(page, "applicant.birth_date", "date_parts", 58, 90)
    assert page.locator("#sheet .marker[data-field='applicant.birth_date']").count() == 8
    _place(page, "address.zip", "digits", 60, 108)
    _place(page, "applicant.mynumber_card", "circle", 150, 101)
    _place(page, "applicant.mynumber_card", "check", 150, 60)
    page.select_option("#field", "visit.phone")
    page.select_option("#acroform", "renraku.tel")
    page.click("#map-acroform")
    expect(page.locator("#sheet .marker.fixed[data-field='visit.phone']")).to_have_count(1)

    # Page 2: its own image, its own boxes.
    page.click("#pages button[data-page='2']")
    expect(page.locator("#page")).to_have_attribute(
        "src", "/printing/designer/suido_kaishi/page.png?page=2"
    )
    expect(page.locator("#sheet .marker")).to_have_count(0)
    expect(page.locator("#page")).to_have_js_property("complete", True)
    _place(page, "__signature__", "text", 52, 147)
    sig = page.locator("#placed tbody tr[data-field='signature']")
    assert sig.locator("input[name=page]").input_value() == "2"
    assert abs(float(sig.locator("input[name=y]").input_value()) - 147) < 1

    page.click("#pages button[data-page='1']")
    page.click("#preview")
    page.wait_for_selector("#preview-img[data-loaded='1']")
    preview = _preview_image(page)
    assert _ink(preview, 64, 72, 40, 10) > 30  # the name, where the frame was dragged
    assert _ink(preview, 150, 137, 40, 6) > 30  # the phone, in the AcroForm field

    page.click("#save")
    expect(page.locator("#designer-status")).to_contain_text("保存しました")
    expect(page.locator("#designer-status")).to_contain_text("第1版")
    forms = tmp_path / "forms"
    saved = yaml.safe_load((forms / "suido_kaishi.yaml").read_text(encoding="utf-8"))
    boxes = {
        b.get("field", "signature") + ":" + b.get("render", "text"): b for b in saved["fields"]
    }
    assert boxes["applicant.name:text"]["w"] == pytest.approx(100, abs=1)
    assert set(boxes["applicant.birth_date:date_parts"]["era"]) == {"明", "大", "昭", "平", "令"}
    assert boxes["address.zip:digits"]["groups"] == [3, 4]
    assert set(boxes["applicant.mynumber_card:circle"]["options"]) == {"true", "false"}
    assert boxes["applicant.mynumber_card:check"]["choice"] == "true"
    assert boxes["visit.phone:text"]["acroform"] == "renraku.tel"
    assert boxes["signature:text"]["page"] == 2
    assert boxes["signature:text"]["x"] == pytest.approx(52, abs=1)
    t = load_templates(forms)["suido_kaishi"]
    text = raster.page_texts(render_single_form(family_of_four(), t))
    assert len(text) == 2 and "葛󠄀西\u3000辰治" in text[0]

    # Reopened: the saved layout comes back; saving again keeps the first as a version.
    page.goto(reverse("counter:designer_edit", args=["suido_kaishi"]))
    expect(page.locator("#placed tbody tr")).to_have_count(len(saved["fields"]))
    expect(page.locator("body")).to_contain_text("保存済み：第1版")
    page.click("#save")
    expect(page.locator("#designer-status")).to_contain_text("第2版")
    assert (forms / "versions" / "suido_kaishi" / "1.yaml").read_text(encoding="utf-8").count(
        "renraku.tel"
    ) == 1
    assert (forms / "versions" / "suido_kaishi" / "1.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_a_clerk_may_not_open_the_designer(clerk_client):
    assert clerk_client.get(reverse("counter:designer")).status_code == 403


@pytest.fixture
def designer_client(client, admin, settings, tmp_path):
    settings.PRINTING_FORMS_DIR = str(tmp_path / "forms")
    settings.PRINTING_DESIGNER_DIR = str(tmp_path / "designer")
    (tmp_path / "designer").mkdir()
    client.force_login(admin)
    return client


FIELDS = '[{"field": "applicant.name", "x": 50, "y": 90, "w": 80, "h": 10}]'


@pytest.mark.django_db
def test_a_form_id_no_procedure_prints_is_refused(designer_client, tmp_path):
    r = designer_client.post(reverse("counter:designer"), {
        "form_id": "suido_local", "pdf": SimpleUploadedFile("b.pdf", blank("suido_kaishi"))})  # fmt: skip
    assert r.status_code == 200 and "どの手続にもありません" in r.content.decode()
    assert not (tmp_path / "designer" / "suido_local.pdf").exists()
    assert (
        designer_client.get(reverse("counter:designer_edit", args=["suido_local"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_broken_pdf_is_refused_with_a_message(designer_client, tmp_path):
    r = designer_client.post(reverse("counter:designer"), {
        "form_id": "suido_kaishi", "pdf": SimpleUploadedFile("b.pdf", b"%PDF-1.7\ngarbage")})  # fmt: skip
    assert "PDFとして読めません" in r.content.decode()
    assert not (tmp_path / "designer" / "suido_kaishi.pdf").exists()


@pytest.mark.django_db
def test_saving_never_replaces_a_pack_template_unasked_nor_saves_an_empty_map(
    designer_client, tmp_path
):
    (tmp_path / "designer" / "kokuho_ido.pdf").write_bytes(blank("suido_kaishi"))
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "kokuho_ido.yaml").write_text("kind: generic\n", encoding="utf-8")
    url = reverse("counter:designer_save", args=["kokuho_ido"])
    assert designer_client.post(url).status_code == 400  # nothing placed
    assert designer_client.post(url, {"fields": FIELDS}).status_code == 409
    assert (tmp_path / "forms" / "kokuho_ido.yaml").read_text(encoding="utf-8") == "kind: generic\n"
    r = designer_client.post(url, {"fields": FIELDS, "replace": "1"})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert "applicant.name" in (tmp_path / "forms" / "kokuho_ido.yaml").read_text(encoding="utf-8")
    kept = tmp_path / "forms" / "versions" / "kokuho_ido" / "1.yaml"
    assert kept.read_text(encoding="utf-8") == "kind: generic\n"


@pytest.mark.django_db
def test_the_designer_keeps_its_files_under_the_data_directory_and_they_print(
    designer_client, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    designer_client.post(reverse("counter:designer"), {
        "form_id": "suido_kaishi", "pdf": SimpleUploadedFile("b.pdf", city_style((297, 420)))})  # fmt: skip
    url = reverse("counter:designer_save", args=["suido_kaishi"])
    assert designer_client.post(url, {"fields": FIELDS, "replace": "1"}).status_code == 200
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == [
        "suido_kaishi.pdf",
        "suido_kaishi.yaml",
    ]
    assert (tmp_path / "designer" / "suido_kaishi.pdf").is_file()
    assert load_templates()["suido_kaishi"].path == tmp_path / "forms" / "suido_kaishi.yaml"
    from printing.templates_loader import SHIPPED

    assert "designer" not in (SHIPPED / "suido_kaishi.yaml").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_a_forms_folder_inside_the_source_tree_is_refused(designer_client, settings, tmp_path):
    from printing.templates_loader import SHIPPED

    (tmp_path / "designer" / "suido_kaishi.pdf").write_bytes(blank("suido_kaishi"))
    settings.PRINTING_FORMS_DIR = str(SHIPPED / "municipal")
    r = designer_client.post(reverse("counter:designer_save", args=["suido_kaishi"]),
                             {"fields": FIELDS, "replace": "1"})  # fmt: skip
    assert r.status_code == 500 and "ソースツリー" in r.json()["error"]
    assert not (SHIPPED / "municipal").exists()


@pytest.mark.django_db
def test_the_preview_footer_names_the_form_and_its_department(designer_client, tmp_path):
    from counter.designer import preview_pdf
    from printing.templates_loader import parse_template

    t = parse_template("suido_kaishi", {"kind": "municipal", "generate": "suido_kaishi",
                                        "fields": [{"field": "applicant.name", "x": 52, "y": 95,
                                                    "w": 143, "h": 12}]})  # fmt: skip
    text = raster.page_texts(preview_pdf("suido_kaishi", t))[0]
    assert "様式：suido_kaishi" in text and "提出先：上下水道課" in text


@pytest.mark.django_db
def test_the_upload_page_lists_the_packs_form_ids_with_their_versions(designer_client, tmp_path):
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "suido_kaishi.yaml").write_text("kind: generic\n", encoding="utf-8")
    (tmp_path / "forms" / "suido_kaishi.pdf").write_bytes(blank("suido_kaishi"))
    html = designer_client.get(reverse("counter:designer")).content.decode()
    assert 'data-form="suido_kaishi"' in html and 'data-form="kokuho_ido"' in html
    assert "第1版" in html and "水道使用開始届" in html


def test_the_designers_settings_point_under_the_data_directory():
    from django.conf import settings

    assert Path(settings.PRINTING_DESIGNER_DIR).is_relative_to(settings.VAR_DIR)
    assert Path(settings.PRINTING_FORMS_DIR).is_relative_to(settings.VAR_DIR)


def test_a_designer_template_left_in_the_source_tree_is_named_at_start_up(tmp_path, settings):
    from printing import checks

    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "old.yaml").write_text(
        "# 旧様式: placed with the field designer. Positions in mm from the top-left.\n"
        "kind: municipal\n",
        encoding="utf-8",
    )
    (tmp_path / "forms" / "pack.yaml").write_text("kind: generic\n", encoding="utf-8")
    settings.CATALOG_DIR = tmp_path  # a pack whose forms/ holds one the designer saved
    warnings = checks.designer_files_live_in_the_data_directory(None)
    assert (
        len(warnings) == 1 and "old.yaml" in warnings[0].msg and "pack.yaml" not in warnings[0].msg
    )
    assert warnings[0].id == "madoguchi.W010"
