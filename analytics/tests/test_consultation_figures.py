"""The dashboard's consultation figures come from the recorded transitions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.consultations import consultation_figures
from remote import services


@pytest.mark.django_db
def test_counts_and_median_times_per_department_from_the_rows(requested, hoken_clerk, branch_clerk):
    services.admit(requested, by=hoken_clerk)
    services.mark_connected(requested, by=branch_clerk)
    services.end(requested, by=branch_clerk)
    # Real transitions are seconds apart; set the clock of each row to known times.
    t0 = timezone.now()
    for kind, minutes in (("requested", 0), ("admitted", 2), ("connected", 3), ("ended", 13)):
        requested.events.filter(kind=kind).update(at=t0 + timedelta(minutes=minutes))
    today = timezone.localdate()
    [row] = consultation_figures(today, today)
    assert row["department"] == requested.department.name
    assert (row["requested"], row["admitted"], row["declined"], row["connected"], row["ended"]) == (
        1,
        1,
        0,
        1,
        1,
    )
    assert (row["median_wait_s"], row["median_talk_s"]) == (120, 600)
    assert consultation_figures(today - timedelta(days=2), today - timedelta(days=1)) == []


@pytest.mark.django_db
def test_the_supervisors_dashboard_shows_the_consultations(requested, hoken_clerk, demo_staff):
    from django.test import Client

    services.admit(requested, by=hoken_clerk)
    c = Client()
    c.force_login(demo_staff["kanri"])
    html = c.get("/queue/analytics/").content.decode()
    table = html[html.index('id="consultations"') :]
    assert requested.department.name in table[: table.index("</table>")]
    csv = c.get("/queue/analytics.csv").content.decode()
    assert f"リモート相談の待ち時間,{requested.department.name},1," in csv
