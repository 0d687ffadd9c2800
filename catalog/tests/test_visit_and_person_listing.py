"""Who a procedure is listed for: once per visit, once per person, once across events."""

from catalog.tests.helpers import applies, person, result, visit


def test_a_visit_procedure_is_listed_once_for_no_particular_person():
    case = visit("tennyu", "2026-04-10", *(person(p, "1980-01-01") for p in "abc"))
    r = result(case, "jumin_tennyu")
    assert r.person is None


def test_a_person_procedure_is_listed_for_each_person_it_holds_for():
    case = visit(
        "tennyu",
        "2026-04-10",
        person("a", "1950-01-01"),
        person("b", "1952-01-01"),
        person("c", "1990-01-01"),
    )
    got = applies(case)
    assert {"kaigo_tennyu@a", "kaigo_tennyu@b"} <= got
    assert "kaigo_tennyu@c" not in got


def test_a_procedure_reached_from_two_events_is_listed_once_per_person():
    # kokuho_kanyu: tennyu (on kokuho) and insurance_loss (lost the employer's insurance).
    case = visit(
        ["tennyu", "insurance_loss"],
        "2026-04-10",
        person("a", "1980-01-01", health_insurance="none"),
    )
    got = [k for k in applies(case) if k.startswith("kokuho_kanyu")]
    assert got == ["kokuho_kanyu@a"]
    assert result(case, "kokuho_kanyu@a").events == ("tennyu", "insurance_loss")


def test_a_visit_procedure_reached_from_two_events_is_listed_once():
    case = visit(
        ["marriage", "tennyu"],
        "2026-05-20",
        person("w", "1996-03-03", role="spouse", applicant=True),
        person("h", "1995-01-20", role="spouse", moving=False),
    )
    assert sorted(k for k in applies(case) if k.startswith("gomi")) == ["gomi_annai"]


def test_a_check_in_one_event_gives_way_to_a_hit_in_the_other():
    # tennyu: health_insurance unknown → needs_check; insurance_loss: age < 75 → applies.
    case = visit(
        ["tennyu", "insurance_loss"],
        "2026-04-10",
        person("a", "1980-01-01", unknown=["health_insurance"]),
    )
    r = result(case, "kokuho_kanyu@a")
    assert r.status == "applies"
    assert r.events == ("insurance_loss",)


def test_results_are_ordered_by_department_then_procedure_then_person():
    case = visit(
        "tennyu",
        "2026-04-10",
        person("b", "1950-01-01", has_mynumber_card=True),
        person("a", "1952-01-01", has_mynumber_card=True),
    )
    from catalog.navigator import navigate
    from catalog.tests.helpers import key, pack

    order = [key(r) for r in navigate(pack(), case)]
    assert (
        order.index("jumin_tennyu")
        < order.index("mynacard_keizoku@b")
        < order.index("mynacard_keizoku@a")
    )
    assert (
        order.index("mynacard_keizoku@a")
        < order.index("kaigo_tennyu@b")
        < order.index("gomi_annai")
    )


def test_as_json_gives_the_format_md_fields_with_an_iso_deadline():
    r = result(visit("tennyu", "2026-04-10", person("a", "1980-01-01")), "jumin_tennyu")
    data = r.as_json()
    assert data["deadline"] == "2026-04-24"
    assert {"id", "person", "department", "kind", "status", "deadline", "reason"} <= set(data)
