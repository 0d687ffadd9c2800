"""Fonts for printed forms: where they are, which one draws each character, loaded once.

Body text is IPAex明朝 (headings may use IPAexゴシック). A character the body font lacks,
and an IVS sequence (base + U+E01xx) only IPAmj明朝 knows, are drawn with IPAmj明朝.
The choice is made per character cluster from each font's cmap and cmap format 14, so a
selector is never separated from its base (japanese-text.md); a character no font has is
an error, never a blank box.
"""

from __future__ import annotations

import mmap
import os
import struct
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools import ttLib
from fontTools.ttLib import newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

FONT_DIRS_ENV = "MADOGUCHI_FONT_DIRS"
DEFAULT_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# family -> (file name, required). IPAmj明朝 is optional: without it only what IPAex has prints.
FONT_FILES = {
    "mincho": ("ipaexm.ttf", True),
    "gothic": ("ipaexg.ttf", False),
    "mj": ("ipamjm.ttf", False),
    # BIZ UDゴシック (fonts-morisawa-bizud-gothic): the large-print slip for elderly residents;
    # without it that slip falls back to IPAexゴシック.
    "ud": ("BIZUDGothic-Regular.ttf", False),
}


class FontNotFound(RuntimeError):
    pass


class MissingGlyphError(ValueError):
    """No installed font can draw a character; printing it would put a blank box on a form."""

    def __init__(self, cluster: str, who: str | None = None):
        self.cluster = cluster
        self.who = who
        self.codepoints = " ".join(f"U+{ord(c):04X}" for c in cluster)
        where = f"「{who}」の" if who else ""
        super().__init__(
            f"{where}文字 {self.codepoints} を印字できるフォントがありません"
            f"（IPAex明朝・IPAmj明朝のどちらにもない文字です。表記を確認してください）"
        )


def is_selector(ch: str) -> bool:
    o = ord(ch)
    return 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF


def clusters(text: str) -> list[str]:
    """Split text into base characters with their selectors and combining marks."""
    out: list[str] = []
    for ch in text:
        if out and (is_selector(ch) or unicodedata.category(ch) in ("Mn", "Me")):
            out[-1] += ch
        else:
            out.append(ch)
    return out


@dataclass(eq=False)
class FontFace:
    family: str  # the fpdf family key used with set_font
    path: Path
    proto: TTFFont  # parsed once; each document gets a light copy (see attach)
    sequences: frozenset[tuple[int, int]]  # (base, selector) pairs of cmap format 14

    def covers(self, cluster: str) -> bool:
        base = ord(cluster[0])
        if base not in self.proto.cmap:
            return False
        selectors = [c for c in cluster[1:] if is_selector(c)]
        return all((base, ord(vs)) in self.sequences for vs in selectors)

    def advance(self, cluster: str) -> float:
        """Advance of a cluster in thousandths of the font size."""
        return self.proto.cw[ord(cluster[0])]

    embedding: _Embedding | None = field(default=None, repr=False)

    def attach(self, pdf: FPDF) -> None:
        """Register this font with a document without parsing the font file again.

        The document's copy shares the parsed cmap, widths, glyph names and HarfBuzz face.
        fpdf2 subsets (and so mutates) a font's fontTools object when the document is
        written: a document that calls `embed_fonts` before output (Sheet does) swaps in a
        small font holding only the glyphs it used; any other gets its own lazily read copy.
        """
        if self.family in pdf.fonts:
            return
        font = TTFFont.__new__(TTFFont)
        for slot in TTFFont.__slots__:
            if hasattr(self.proto, slot):
                setattr(font, slot, getattr(self.proto, slot))
        font.i = len(pdf.fonts) + 1
        faces = getattr(pdf, "attached_faces", None)
        if faces is None:
            font.ttfont = ttLib.TTFont(self.path, recalcTimestamp=False, lazy=True)
        else:
            faces.append(self)
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        pdf.fonts[self.family] = font

    def embed_into(self, pdf: FPDF) -> None:
        """Give the document's copy a font to subset and embed (call just before output)."""
        font = pdf.fonts[self.family]
        names = font.subset.get_all_glyph_names()
        small = self.embedding.build(names) if self.embedding else None
        font.ttfont = small or ttLib.TTFont(self.path, recalcTimestamp=False, lazy=True)


class _Embedding:
    """Raw glyph data of a TrueType font, to build a font of a few glyphs in milliseconds.

    Subsetting the 46 MB IPAmj明朝 with fontTools costs about half a second per document;
    copying the used glyphs' bytes into a new font and letting fpdf2 subset that is cheap.
    Only simple (non-composite) glyphs are copied; anything else falls back to fontTools.
    """

    TABLES = ("head", "hhea", "maxp", "OS/2", "name", "cvt ", "fpgm", "prep", "gasp")

    def __init__(self, path: Path, tt: ttLib.TTFont):
        self.order = tt.getGlyphOrder()
        self.gid = tt.getReverseGlyphMap()
        self.metrics = tt["hmtx"].metrics
        self.loca = list(tt["loca"])
        self.glyf_offset = tt.reader.tables["glyf"].offset
        self.raw = {t: tt.reader[t] for t in self.TABLES if t in tt.reader}
        self.post = tt["post"]
        with open(path, "rb") as f:
            self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def glyph_bytes(self, gid: int) -> bytes:
        start, end = self.loca[gid], self.loca[gid + 1]
        return self.data[self.glyf_offset + start : self.glyf_offset + end]

    def build(self, names) -> ttLib.TTFont | None:
        wanted = {".notdef", *names}
        if any(n not in self.gid for n in wanted):
            return None
        order = sorted(wanted, key=self.gid.__getitem__)
        raw = {n: self.glyph_bytes(self.gid[n]) for n in order}
        if any(len(b) >= 2 and struct.unpack(">h", b[:2])[0] < 0 for b in raw.values()):
            return None  # a composite glyph names other glyphs by id: leave it to fontTools
        font = ttLib.TTFont(recalcBBoxes=False, recalcTimestamp=False)
        font.setGlyphOrder(order)
        for tag, data in self.raw.items():
            table = newTable(tag)
            table.decompile(data, font)
            font[tag] = table
        post = newTable("post")
        for attr in ("italicAngle", "underlinePosition", "underlineThickness", "isFixedPitch",
                     "minMemType42", "maxMemType42", "minMemType1", "maxMemType1"):  # fmt: skip
            setattr(post, attr, getattr(self.post, attr))
        post.formatType = 3.0
        font["post"] = post
        hmtx = newTable("hmtx")
        hmtx.metrics = {n: self.metrics[n] for n in order}
        font["hmtx"] = hmtx
        font["loca"] = newTable("loca")
        # An empty cmap: the PDF maps codes to glyphs itself (CIDToGIDMap), but fontTools'
        # subsetter expects the table to exist.
        cmap = newTable("cmap")
        cmap.tableVersion = 0
        sub = CmapSubtable.newSubtable(4)
        sub.platformID, sub.platEncID, sub.language, sub.cmap = 3, 1, 0, {}
        cmap.tables = [sub]
        font["cmap"] = cmap
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {n: Glyph(raw[n]) for n in order}
        font["glyf"] = glyf
        return font


def font_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep) if p]
    return extra + [Path(p) for p in DEFAULT_FONT_DIRS]


def find_font_file(filename: str) -> Path | None:
    for d in font_dirs():
        if (d / filename).is_file():
            return d / filename
        if d.is_dir():
            for root, _dirs, files in sorted(os.walk(d)):
                if filename in files:
                    return Path(root) / filename
    return None


def _load_face(family: str, path: Path) -> FontFace:
    scratch = FPDF()
    scratch.add_font(family, "", str(path))
    proto = scratch.fonts[family]
    proto.hbfont  # noqa: B018 — build the HarfBuzz face now, once, not in the first render
    # Load what shaping reads from the shared fontTools object now, before threads share it.
    proto.ttfont.getGlyphOrder()
    proto.ttfont["hmtx"]  # noqa: B018
    embedding = _Embedding(path, proto.ttfont) if "glyf" in proto.ttfont.reader else None
    sequences: set[tuple[int, int]] = set()
    for table in proto.ttfont["cmap"].tables:
        if table.format == 14:
            for vs, pairs in table.uvsDict.items():
                sequences.update((base, vs) for base, _glyph in pairs)
    return FontFace(family, path, proto, frozenset(sequences), embedding)


class FontSet:
    """The faces available to this process, in the order a character looks for a font."""

    def __init__(self, faces: dict[str, FontFace]):
        self.faces = faces
        self.mincho = faces["mincho"]
        self.gothic = faces.get("gothic", self.mincho)
        self.mj = faces.get("mj")
        self.ud = faces.get("ud", self.gothic)

    def candidates(self, primary: FontFace) -> tuple[FontFace, ...]:
        order = [primary, self.mincho, self.mj]
        seen: list[FontFace] = []
        for face in order:
            if face is not None and face not in seen:
                seen.append(face)
        return tuple(seen)

    def face_for(self, cluster: str, primary: FontFace) -> FontFace | None:
        return _face_for(self, cluster, primary)

    def runs(
        self, text: str, primary: FontFace, who: str | None = None
    ) -> list[tuple[FontFace, str]]:
        """Split text into (font, text) runs; raise MissingGlyphError naming `who`."""
        runs: list[tuple[FontFace, str]] = []
        for cl in clusters(text):
            face = _face_for(self, cl, primary)
            if face is None:
                raise MissingGlyphError(cl, who)
            if runs and runs[-1][0] is face:
                runs[-1] = (face, runs[-1][1] + cl)
            else:
                runs.append((face, cl))
        return runs

    def check(self, text: str, who: str | None = None) -> None:
        self.runs(text, self.mincho, who)


@lru_cache(maxsize=8192)
def _face_for(fontset: FontSet, cluster: str, primary: FontFace) -> FontFace | None:
    for face in fontset.candidates(primary):
        if face.covers(cluster):
            return face
    return None


_lock = threading.Lock()
_fontset: FontSet | None = None


def get_fontset() -> FontSet:
    """The process-wide fonts, parsed on first use (a web worker pays it once)."""
    global _fontset
    if _fontset is None:
        with _lock:
            if _fontset is None:
                faces = {}
                for family, (filename, required) in FONT_FILES.items():
                    path = find_font_file(filename)
                    if path is None:
                        if required:
                            raise FontNotFound(
                                f"{filename} not found in {[str(d) for d in font_dirs()]};"
                                f" install fonts-ipaexfont or set {FONT_DIRS_ENV}"
                            )
                        continue
                    faces[family] = _load_face(family, path)
                _fontset = FontSet(faces)
    return _fontset
