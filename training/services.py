"""The training app's write functions: assigning, starting, finishing (STYLE.md: one named
function per change, with its audit entry)."""

import uuid

from django.db import transaction
from django.utils import timezone

from accounts import audit
from training import scenarios, scoring
from training.models import Assignment, Attempt

SESSION_KEY = "training_attempt"


@transaction.atomic
def assign(*, by, trainee, name: str, source: str, text: str, request=None) -> Assignment:
    scenarios.parse(text)  # refuses an invalid scenario before anything is written
    a = Assignment.objects.create(
        trainee=trainee, assigned_by=by, name=name, source=source, scenario=text
    )
    audit.record(by, "training.assigned", request=request, assignment=a.pk, trainee=trainee.pk)
    return a


@transaction.atomic
def start(assignment: Assignment, *, by, request) -> Attempt:
    """Put the scenario's household in the training register and switch the trainee's session
    to practice (training.middleware reads the key)."""
    sc = scenarios.parse(assignment.scenario)
    attempt = Attempt.objects.create(assignment=assignment, trainee=by)
    attempt.household = scenarios.materialize(sc, f"{attempt.pk}-{uuid.uuid4().hex[:6]}")
    attempt.save(update_fields=["household"])
    request.session[SESSION_KEY] = attempt.pk
    audit.record(by, "training.started", request=request, attempt=attempt.pk)
    return attempt


def stop(request) -> None:
    """Back to the real register (the attempt stays as it is, finished or not)."""
    request.session.pop(SESSION_KEY, None)


def current(request) -> Attempt | None:
    pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if pk is None or not request.user.is_authenticated:
        return None
    return Attempt.objects.select_related("assignment").filter(pk=pk, trainee=request.user).first()


@transaction.atomic
def finish(visit, *, by) -> Attempt | None:
    """Score the trainee's open attempt with the visit just accepted (counter's signal)."""
    attempt = (
        Attempt.objects.select_for_update()
        .filter(trainee=by, finished_at__isnull=True)
        .order_by("-started_at", "-id")
        .first()
    )
    if attempt is None:
        return None
    attempt.finished_at = timezone.now()
    attempt.visit = visit
    sc = scenarios.parse(attempt.assignment.scenario)
    attempt.score = scoring.score(sc, visit, actions=attempt.actions, seconds=attempt.seconds)
    attempt.save(update_fields=["finished_at", "visit", "score"])
    audit.record(by, "training.finished", attempt=attempt.pk, visit_id=visit.id)
    return attempt
