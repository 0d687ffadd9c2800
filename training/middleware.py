"""A trainee's session works in the training register (residents.practice): the switch is
made here, for the whole request, so no view decides it. Requests that change something
are counted as the attempt's actions."""

from django.db.models import F

from residents.practice import practising
from training.models import Attempt
from training.services import SESSION_KEY

SAFE = ("GET", "HEAD", "OPTIONS")


class PracticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if pk is None or not request.user.is_authenticated:
            return self.get_response(request)
        with practising():
            if request.method not in SAFE and not request.path.startswith("/training/"):
                Attempt.objects.filter(
                    pk=pk, trainee=request.user, finished_at__isnull=True
                ).update(actions=F("actions") + 1)
            return self.get_response(request)
