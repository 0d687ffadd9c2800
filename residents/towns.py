from functools import lru_cache

from residents.models import Household


@lru_cache(maxsize=1)
def town_names() -> list[str]:
    """The 町字 of the city, for the counter's address inputs (read once per process)."""
    return sorted(Household.objects.values_list("town", flat=True).distinct())
