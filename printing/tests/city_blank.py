"""The city-style blank's field map (printing.blanks.city_style) as a template, for the tests."""

from printing.blanks import (
    CITY_BIRTH_PARTS,
    CITY_ERAS,
    CITY_ISSUED_PARTS,
    CITY_PHONE,
    CITY_SEX,
    CITY_ZIP,
)


def city_template(**top) -> dict:
    return {
        "kind": "municipal",
        "title": "各種届出書",
        "generate": "city_style",
        "fields": [
            {"field": "visit.issued_on", "render": "date_parts", "era": {"令": [56.9, 56]},
             **{k: list(v) for k, v in CITY_ISSUED_PARTS.items()}, "size": 11},
            {"field": "subject.kana", "x": 52, "y": 62, "w": 143, "h": 8, "size": 9},
            {"field": "subject.name", "x": 52, "y": 70, "w": 143, "h": 14, "size": 14},
            {"field": "subject.birth_date", "render": "date_parts",
             "era": {k: list(v) for k, v in CITY_ERAS.items()}, "ring": [6, 5.4],
             **{k: list(v) for k, v in CITY_BIRTH_PARTS.items()}, "size": 11},
            {"field": "subject.sex", "render": "circle",
             "options": {"男": list(CITY_SEX["1"]), "女": list(CITY_SEX["2"])}, "ring": [6, 5.4]},
            {"field": "address.zip", "render": "digits", **CITY_ZIP, "size": 11},
            {"field": "address.line", "x": 52, "y": 118, "w": 143, "h": 16, "size": 11},
            {"field": "visit.phone", "render": "digits", **CITY_PHONE, "size": 11},
            {"signature": True, "x": 52, "y": 150, "w": 143, "h": 20},
        ],
        **top,
    }  # fmt: skip
