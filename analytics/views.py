"""The supervisors' dashboard of the counters (窓口の分析) and its CSV."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import access
from analytics import charts, figures
from analytics.forms import AnalyticsForm
from madoguchi.inputs import error_text


def _dashboard(request):
    """(form, figures); figures None when a filter is wrong: the period is not guessed."""
    access.require(request, "analytics")
    form = AnalyticsForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    start, end, office = form.period()
    return form, figures.dashboard(start=start, end=end, office=office)


@login_required
def dashboard(request):
    form, d = _dashboard(request)
    if d is None:
        return render(
            request,
            "analytics/dashboard.html",
            {"form": form, "d": None, "errors": error_text(form)},
            status=400,
        )
    svg = {
        "per_day": charts.bars([(f"{day:%m/%d}", n) for day, n in d["visits_per_day"]]),
        "per_hour": charts.bars([(f"{h}時", n) for h, n in d["visits_per_hour"]]),
        "wait": charts.bars(
            [(g["label"], g["median"]) for g in d["wait_by_purpose"]], unit=_("分")
        ),
        "service": charts.bars(
            [(g["label"], g["median"]) for g in d["service_by_purpose"]], unit=_("分")
        ),
        "utilisation": charts.bars(
            [(u["label"], round(u["rate"] * 100, 1)) for u in d["utilisation"]], unit="%"
        ),
    }
    query = request.GET.urlencode()
    return render(
        request, "analytics/dashboard.html", {"form": form, "d": d, "svg": svg, "query": query}
    )


@login_required
def dashboard_csv(request):
    form, d = _dashboard(request)
    if d is None:
        return HttpResponse(error_text(form), content_type="text/plain; charset=utf-8", status=400)
    buf = io.StringIO()
    csv.writer(buf).writerows(figures.csv_rows(d))
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="queue-{d["start"]}-{d["end"]}.csv"'
    return response
