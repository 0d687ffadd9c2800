"""The printing tests' packets: the sample households of printing.samples (no catalog, no database)."""

from printing.samples import *  # noqa: F403
from printing.samples import FORM_OF, death_household, family_of_four, family_people  # noqa: F401
