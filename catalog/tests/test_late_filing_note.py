"""期限超過: every legal deadline of the catalog comes with what to tell a late filer."""

from datetime import date

from catalog.tests.helpers import pack, person, result, visit


def test_every_procedure_with_a_deadline_has_a_late_filing_note():
    missing = [
        f"{v.procedure}@{v.event}"
        for proc in pack().procedures.values()
        for v in proc.variants
        if v.deadline is not None and not v.late
    ]
    assert missing == []


def test_a_result_carries_the_note_and_knows_when_it_is_overdue():
    r = result(visit("tennyu", "2026-04-10", person("a", "1980-01-01")), "jumin_tennyu")
    assert "住民基本台帳法52条" in r.late
    assert r.deadline == date(2026, 4, 24)
    assert not r.overdue_on(date(2026, 4, 24))  # the last day is still in time
    assert r.overdue_on(date(2026, 4, 25))


def test_the_navigate_output_does_not_change():
    r = result(visit("tennyu", "2026-04-10", person("a", "1980-01-01")), "jumin_tennyu")
    assert "late" not in r.as_json()
