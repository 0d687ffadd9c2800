"""What the counter announces to the apps downstream of it (STYLE.md: data flows one way,
so the counter never imports them; they listen)."""

from django.dispatch import Signal

# Sent after the accepting transaction has committed, with `visit`. backoffice turns the
# visit's procedures into department tasks; a failing receiver never undoes the acceptance.
visit_accepted = Signal()

# Sent instead of visit_accepted for a training visit (練習モード), after commit, with `visit`
# and `by`: nothing real is handed off; the training app scores the practice.
training_visit_accepted = Signal()
