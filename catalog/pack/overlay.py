"""Overlays: a pack whose pack.yaml names a `base:` pack, merged over it layer by layer.

The chain of layers is read base first. Settings and the municipality are merged key by
key, departments by id (a known id renames or moves it, a new one adds it), facts and
events are added, and a layer's `remove:` takes procedures of the layers below out.
docs/catalog-pack.md §8 is the manual.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from catalog import yamlio
from catalog.pack.model import DepartmentDef
from catalog.pack.reader import Reader, plain

META_KEYS = (
    "name",
    "version",
    "municipality",
    "settings",
    "procedures",
    "base",
    "remove",
    "source",
)
DEPT_KEYS = ("id", "name", "location", "floor", "counter", "note", "route")
MUNICIPALITY_KEYS = ("code", "name", "pref")


@dataclass
class Layer:
    root: Path
    meta: dict
    depth: int  # 0 for the pack asked for, 1 for its base, ...


def read_layers(r: Reader, root: Path, depth=0, chain=()) -> list[Layer]:
    meta = r.load(None, "pack.yaml", root=root, depth=depth)
    if meta is None:
        return []
    required = ("name", "version")
    if not r.keys(meta, "pack.yaml", META_KEYS, required) and not isinstance(meta, dict):
        return []
    layers: list[Layer] = []
    base = meta.get("base")
    if base is not None:
        target = Path(os.path.normpath(root / str(base)))
        if not isinstance(base, str) or not base.strip():
            r.report(
                meta.file,
                meta.line_of("base"),
                "base には基にするカタログのフォルダを書いてください",
            )
        elif target.resolve() in chain or target.resolve() == root.resolve():
            r.report(meta.file, meta.line_of("base"), f"base「{base}」が循環しています")
        elif not (target / "pack.yaml").is_file():
            r.report(
                meta.file,
                meta.line_of("base"),
                f"基にするカタログ「{base}」が見つかりません（{target}）",
            )
        else:
            layers = read_layers(r, target, depth + 1, (*chain, root.resolve()))
        if not layers:
            return []
    elif "remove" in meta:
        r.report(
            meta.file,
            meta.line_of("remove"),
            "remove は base のあるカタログ（上書き）にだけ書けます",
        )
    return [*layers, Layer(root, meta, depth)]


def merge_municipality(r: Reader, layers) -> dict:
    """The municipality block of every layer, key by key (an overlay names its own city)."""
    municipality: dict = {}
    for layer in layers:
        m = layer.meta.get("municipality") or {}
        if isinstance(m, dict):
            municipality.update(plain(m))
        else:
            r.report(
                layer.meta.file,
                layer.meta.line_of("municipality"),
                "municipality は「項目: 値」で書いてください",
            )
    return municipality


def read_municipality(path: Path | str) -> dict[str, str]:
    """{code, name, pref} of the pack at `path`, reading only pack.yaml and its bases'.

    Settings call this once at start-up (settings.MUNICIPALITY), before any app is ready,
    so it never raises: a pack it cannot read gives empty values, and `catalog check` (or
    the first load of the pack) says what is wrong.
    """
    out = dict.fromkeys(MUNICIPALITY_KEYS, "")
    r = Reader()
    try:
        layers = read_layers(r, Path(path))
    except (OSError, yamlio.YamlProblem):
        return out
    if layers:
        merged = merge_municipality(r, layers)
        out.update({k: str(merged[k]) for k in MUNICIPALITY_KEYS if merged.get(k) is not None})
    return out


def merge_settings(r: Reader, layers) -> dict:
    settings: dict = {}
    for layer in layers:
        s = layer.meta.get("settings") or {}
        if not isinstance(s, dict):
            r.report(
                layer.meta.file,
                layer.meta.line_of("settings"),
                "settings は「名前: 値」で書いてください",
            )
            continue
        for k, v in s.items():
            if isinstance(v, bool) or not isinstance(v, (int, str)):
                r.report(s.file, s.line_of(k), f"設定「{k}」の値は数か文字で書いてください")
            elif k in settings and type(settings[k]) is not type(v):
                kind = "数" if isinstance(settings[k], int) else "文字"
                r.report(
                    s.file,
                    s.line_of(k),
                    f"設定「{k}」は基のカタログでは{kind}です（{settings[k]}）",
                )
            else:
                settings[k] = v
    return settings


def layered_items(r: Reader, layers, rel, key, what):
    """The items of `rel` in every layer, base first; None when the base's file is unusable."""
    out = []
    for layer in layers:
        doc = r.load(layer, rel, optional=layer is not layers[0])
        if doc is None:
            if layer is layers[0]:
                return None
            continue
        before = len(r.problems)
        items = r.items(doc, key, what)
        if layer is layers[0] and not items and len(r.problems) > before:
            return None
        out.extend(items)
    return out


def merge_departments(r: Reader, layers):
    fields: dict[str, dict] = {}
    for layer in layers:
        doc = r.load(layer, "departments.yaml", optional=layer is not layers[0])
        if doc is None:
            if layer is layers[0]:
                return None, None
            continue
        here = set()
        for m in r.items(doc, "departments", "担当課"):
            with r.collect():
                if not r.keys(m, "担当課", DEPT_KEYS, ("id",)):
                    continue
                did = r.ident(m, "id", "担当課")
                if did in here:
                    raise r.fail(m, f"担当課ID「{did}」が2回定義されています", "id")
                here.add(did)
                # In an overlay a known id renames or moves the department; a new id adds one.
                name = None
                if did not in fields or "name" in m:
                    name = r.text(m, "name", "担当課")  # before anything of it is kept
                f = fields.setdefault(did, {"id": did})
                if name is not None:
                    f["name"] = name
                for key in ("floor", "counter", "note"):
                    if key in m:
                        f[key] = r.text(m, key, "担当課", required=False)
                if "route" in m:
                    if not isinstance(m["route"], int) or isinstance(m["route"], bool):
                        raise r.fail(
                            m, "route は窓口を回る順の番号（整数）で書いてください", "route"
                        )
                    f["route"] = m["route"]
                if "location" in m:
                    f["location"] = r.text(m, "location", "担当課", required=False)
                elif "floor" in m or "counter" in m:
                    f["location"] = " ".join(x for x in (f.get("floor"), f.get("counter")) if x)
    out = {}
    for f in fields.values():
        out[f["id"]] = DepartmentDef(
            f["id"],
            f["name"],
            f.get("location", ""),
            len(out),
            floor=f.get("floor", ""),
            counter=f.get("counter", ""),
            note=f.get("note", ""),
            route=f.get("route", 0),
        )
    docs = [{k: v for k, v in f.items() if v not in (None, "")} for f in fields.values()]
    return out, docs


def removals(r: Reader, layers) -> dict[str, int]:
    """{procedure id: index of the layer that removes it}."""
    out = {}
    for index, layer in enumerate(layers):
        items = layer.meta.get("remove")
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            r.report(
                layer.meta.file,
                layer.meta.line_of("remove"),
                "remove は手続IDの一覧で書いてください",
            )
            continue
        for pid in items:
            out[pid] = index
    return out


def shown_name(layer: Layer, top: Layer, rel: str) -> str:
    """How a procedure's file is named in messages: relative to the pack asked for."""
    if layer is top:
        return rel
    return os.path.relpath(layer.root / rel, top.root)
