"""Reading a pack's YAML files: every problem kept with its file and line, every byte digested.

catalog.pack.overlay and catalog.pack.load read through one Reader per load, so that the
problems come out in reading order and the version covers every file that was read.
"""

import hashlib
import re
from contextlib import contextmanager
from pathlib import Path

from catalog import yamlio
from catalog.pack.model import PackError, PackProblem

ID = re.compile(r"^[a-z][a-z0-9_]*$")


class Reader:
    """Reads the layers of a pack; every problem goes to `problems`, in reading order."""

    def __init__(self):
        self.digest = hashlib.sha256()
        self.problems: list[PackProblem] = []
        self.files: list[Path] = []
        self.file: Path | None = None  # fallback for values that carry no file

    def load(self, layer, rel: str, *, root=None, depth=0, optional=False):
        """The YAML document `rel` of a layer (overlay.Layer), or under `root` at `depth`."""
        root = layer.root if layer else root
        depth = layer.depth if layer else depth
        path = root / rel
        self.file = path
        if optional and not path.is_file():
            return None
        try:
            data = path.read_bytes()
        except OSError as e:
            self.report(path, 0, f"ファイルが読めません（{e.strerror}）")
            return None
        self.files.append(path)
        # A base's files are marked so that moving a file between layers changes the version.
        mark = f"base{depth}:" if depth else ""
        self.digest.update(mark.encode() + rel.encode() + b"\0" + data)
        try:
            doc = yamlio.loads(data)
        except yamlio.YamlProblem as e:
            self.report(path, e.line, e.message)
            return None
        tag(doc, path)
        return doc

    def report(self, file, line: int, message: str, kind="error"):
        self.problems.append(PackProblem(str(file), line, message, kind))

    @contextmanager
    def collect(self):
        """Record a PackError raised inside and carry on with the next item."""
        try:
            yield
        except PackError as e:
            self.report(e.file, e.line, e.message)

    def fail(self, where, message, key=None):
        line = (
            where.line_of(key)
            if key is not None and hasattr(where, "line_of")
            else getattr(where, "line", 0)
        )
        return PackError(getattr(where, "file", None) or self.file, line, message)

    def keys(self, m, what, keys, required=()) -> bool:
        """Report unknown and missing keys; False when the item cannot be read at all."""
        if not isinstance(m, dict):
            self.problems.append(problem(self.fail(m, f"{what}は「項目: 値」の形で書いてください")))
            return False
        ok = True
        for k in m:
            if k not in keys:
                e = self.fail(
                    m, f"{what}に不明な項目「{k}」があります（使える項目: {', '.join(keys)}）", k
                )
                self.problems.append(problem(e))
        for k in required:
            if m.get(k) in (None, ""):
                self.problems.append(problem(self.fail(m, f"{what}に「{k}」がありません")))
                ok = False
        return ok

    def items(self, doc, key, what, others=()) -> list:
        if not self.keys(doc, getattr(doc, "file", self.file).name, (key, *others), (key,)):
            return []
        seq = doc[key]
        if not isinstance(seq, list):
            self.problems.append(
                problem(
                    self.fail(
                        doc, f"「{key}」は {what} の一覧（- で始まる行）で書いてください", key
                    )
                )
            )
            return []
        return seq

    def ident(self, m, key, what):
        value = m.get(key)
        if not isinstance(value, str) or not ID.match(value):
            raise self.fail(m, f"{what}のID「{value}」は英小文字・数字・_ で書いてください", key)
        return value

    def text(self, m, key, what, required=True):
        value = m.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(m, f"{what}の「{key}」は文字で書いてください", key)
        return value.strip()


def problem(e: PackError) -> PackProblem:
    return PackProblem(e.file, e.line, e.message)


def tag(node, path: Path):
    """Remember the file on every mapping and list, for problems found after merging."""
    if isinstance(node, (yamlio.Map, yamlio.Seq)):
        node.file = path
        for child in node.values() if isinstance(node, dict) else node:
            tag(child, path)


def plain(node):
    """A Map/Seq tree as plain dicts and lists (what export writes)."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node
