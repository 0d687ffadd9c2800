from residents import data


def town_names() -> list[str]:
    """The city's 町字 for the counter's address inputs, from the list the system ships."""
    return sorted(data.town_names())
