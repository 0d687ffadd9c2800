"""The fuzz test's parts: hostile values, JSON mutations, and a middleware that records which
parameters a view reads (so a new view's parameters are found without a table).

Everything here is deterministic given a `random.Random`: the same seed sends the same
requests, so a failure found once is found again.
"""

import copy
import random
from urllib.parse import quote_plus

from django.http import QueryDict

# Markers the raw-echo check looks for: either appearing verbatim in an HTML answer means
# input went out unescaped (htmx puts a 4xx answer into the page with innerHTML).
SCRIPT = "<script>fuzz(1)</script>"
ATTR = '"><img src=x onerror=fuzz(2)>'
RAW_MARKERS = ("<script>fuzz(", "<img src=x onerror=fuzz(")

# (category, value) for a form or query parameter; bytes are sent as they are (not UTF-8).
HOSTILE: list[tuple[str, object]] = [
    ("nul", "ab\x00cd"),
    ("nul_only", "\x00"),
    ("long", "長" * 3000),
    ("long_digits", "9" * 400),
    ("negative", "-1"),
    ("huge", "99999999999999999999999999"),
    ("float", "1e309"),
    ("not_a_number", "abc"),
    ("bad_date", "2026-02-30"),
    ("bad_wareki", "R99.13.32"),
    ("bad_utf8", b"\xed\xa0\x80\xff\xfe"),  # a lone surrogate's UTF-8 bytes, then junk
    ("script", SCRIPT),
    ("attr", ATTR),
    ("empty", ""),
    ("spaces", " \u3000 "),
    ("control", "\x1b[31m\r\n\t\x7f"),
    ("repeated", ["1", "2"]),  # the key sent twice
    ("json_text", '[{"a": null}]'),
    ("format", "%(x)s {0} {{x}} %s"),
    ("path", "../../../etc/passwd"),
    ("ivs", "葛\U000e0100飾"),
]
# Every parameter alone gets these (what broke a database, a page or a parse before); every
# parameter at once gets ALL_AT_ONCE; the rest are drawn by the seed.
ALWAYS = ("nul", "script", "not_a_number", "long")
ALL_AT_ONCE = ("nul", "bad_utf8", "repeated")

# Values of the wrong shape for a JSON body or any node in it.
WRONG_SHAPES: list[tuple[str, object]] = [
    ("null", None),
    ("array", []),
    ("object", {}),
    ("string", "text"),
    ("zero", 0),
    ("negative", -1),
    ("huge", 10**30),
    ("float", 1.5),
    ("true", True),
    ("null_list", [None]),
    ("nested_null", {"": None, "a": [None, {"b": None}]}),
    ("deep", [[[[[[[[[[]]]]]]]]]]),
]
JSON_STRINGS: list[tuple[str, object]] = [
    ("nul", "ab\x00cd"),
    ("surrogate", "a\ud800b"),
    ("long", "長" * 3000),
    ("script", SCRIPT),
    ("bad_date", "2026-02-30"),
]


def choose(rng: random.Random, k: int, only=ALWAYS) -> list[tuple[str, object]]:
    """The `only` categories (ALWAYS by default) plus k more drawn from the rest."""
    fixed = [h for h in HOSTILE if h[0] in only]
    rest = [h for h in HOSTILE if h[0] not in only]
    return fixed + rng.sample(rest, min(k, len(rest)))


def encode(data: dict) -> str:
    """A form body or query string; a list repeats the key, bytes go out undecoded."""
    pairs = []
    for key, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote_plus(key)}={quote_plus(v)}")
    return "&".join(pairs)


# -- JSON ---------------------------------------------------------------------------------------


def _paths(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


def _replace(doc, path, value):
    if not path:
        return value
    out = copy.deepcopy(doc)
    node = out
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return out


def json_mutations(sample, rng: random.Random, k: int):
    """(where, document): the sample with one node replaced by a wrong shape or a hostile
    string, or a key left out; every node gets a wrong shape, every string a NUL byte, a lone
    surrogate and a script; k more are drawn by the seed."""
    for path, node in _paths(sample):
        where = "/".join(str(p) for p in path) or "$"
        pool = WRONG_SHAPES + (JSON_STRINGS if isinstance(node, str) else [])
        picks = [rng.choice(WRONG_SHAPES)]
        if isinstance(node, str):
            # NUL and a lone surrogate (what a database refuses), markup (what a page must not get)
            picks += [h for h in JSON_STRINGS if h[0] in ("nul", "surrogate", "script")]
        picks += rng.sample(pool, min(k, len(pool)))
        for category, value in {c: v for c, v in picks}.items():
            yield f"{where}={category}", _replace(sample, path, value)
        # An object missing this key.
        if path and isinstance(path[-1], str):
            doc = copy.deepcopy(sample)
            node = doc
            for p in path[:-1]:
                node = node[p]
            del node[path[-1]]
            yield f"{where}=missing", doc


# -- which parameters a view reads ------------------------------------------------------------


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes every key asked for (get, [], getlist, in)."""

    def _note(self, key):
        log = getattr(self, "_fuzz_log", None)
        if log is not None:
            log.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def __deepcopy__(self, memo):
        out = super().__deepcopy__(memo)
        out._fuzz_log = getattr(self, "_fuzz_log", None)
        return out


def _recording(qd: QueryDict, log: set) -> QueryDict:
    out = qd.copy()
    out.__class__ = RecordingQueryDict
    out._fuzz_log = log
    out._mutable = False
    return out


class RecordParameters:
    """Test-only middleware (last in the list): the response carries `fuzz_read`, the GET and
    POST keys the view asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        read = {"GET": set(), "POST": set()}
        request.GET = _recording(request.GET, read["GET"])
        if request.method == "POST":
            # An empty body comes without a content type: the view may still read POST keys.
            request.POST = _recording(request.POST, read["POST"])
        response = self.get_response(request)
        response.fuzz_read = read
        return response
