"""Fonts are found without Django settings and parsed once per process (the counter and the
benchmark both count on a second packet not reading 50 MB of fonts again)."""

from pathlib import Path

import pytest

from printing import fonts
from printing.pdf import render_packet

from .fixtures import family_of_four


def test_the_process_keeps_one_fontset():
    assert fonts.get_fontset() is fonts.get_fontset()


def test_a_second_packet_parses_no_font_file(monkeypatch):
    render_packet(family_of_four())  # the first may load the fonts

    def forbidden(*args, **kwargs):
        raise AssertionError("a font was parsed again")

    monkeypatch.setattr(fonts, "_load_face", forbidden)
    opened = []
    real = fonts.ttLib.TTFont

    def counting(*args, **kwargs):
        if args:  # a path or file: reading a font, not building the small embedded one
            opened.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(fonts.ttLib, "TTFont", counting)
    assert render_packet(family_of_four()).startswith(b"%PDF")
    assert opened == []


def test_all_four_fonts_are_found_in_the_default_places():
    faces = fonts.get_fontset().faces
    assert set(faces) == {"mincho", "gothic", "mj", "ud"}  # ud: BIZ UDゴシック (setup.sh)
    assert faces["mj"].path.name == "ipamjm.ttf"


def test_madoguchi_font_dirs_is_searched_first(tmp_path, monkeypatch):
    real = fonts.find_font_file("ipaexm.ttf")
    (tmp_path / "ipaexm.ttf").symlink_to(real)
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, f"/nonexistent:{tmp_path}")
    assert fonts.find_font_file("ipaexm.ttf") == tmp_path / "ipaexm.ttf"


def test_a_missing_required_font_is_reported_with_where_it_was_looked_for(monkeypatch):
    monkeypatch.setattr(fonts, "DEFAULT_FONT_DIRS", ())
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, "/nonexistent")
    monkeypatch.setattr(fonts, "_fontset", None)
    with pytest.raises(fonts.FontNotFound, match="ipaexm.ttf.*MADOGUCHI_FONT_DIRS"):
        fonts.get_fontset()


def test_an_embedded_font_holds_only_the_glyphs_the_packet_uses(family_pdf):
    # IPAmj明朝 is 46 MB; the packet draws a few of its glyphs (𠮷, 葛󠄂).
    assert len(family_pdf) < 400_000
    assert Path(fonts.get_fontset().mj.path).stat().st_size > 40_000_000
