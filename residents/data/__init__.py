"""Small data files the residents app ships: the city's 町字 list.

Tab-separated, one record a line, "#" lines are comments. A municipality network has no
internet, so the address search (and the demo city's addresses) read them from here; the
demo's name pools are in demo/data, read with rows() too.
"""

from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent

# The shipped 町字 list (towns.tsv) is 北見市's, the city the demo stands for; which city
# the system serves is the catalog pack's municipality (settings.MUNICIPALITY).


def rows(name: str, directory: Path = DIR) -> list[list[str]]:
    with open(directory / name, encoding="utf-8") as f:
        return [
            line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")
        ]


@lru_cache(maxsize=1)
def town_names() -> tuple[str, ...]:
    """The city's 町字, longest first so that a prefix test finds 東三輪 before 三輪."""
    return tuple(sorted((r[0] for r in rows("towns.tsv")), key=len, reverse=True))
