"""The printing tests' packets: the demo households of printing.demo (no catalog, no database)."""

from printing.demo import *  # noqa: F403
from printing.demo import FORM_OF, death_household, family_of_four, family_people  # noqa: F401
