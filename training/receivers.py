"""The training app listens to the counter (which never imports it): a practice visit
accepted is scored here."""

from django.dispatch import receiver

from counter.signals import training_visit_accepted
from residents.practice import practising
from training import services


@receiver(training_visit_accepted)
def score_practice(sender, visit, by, **kwargs):
    # After commit, perhaps outside the request's switch: read the training register.
    with practising():
        services.finish(visit, by=by)
