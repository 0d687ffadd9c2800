"""Packets rendered once per test session: rendering is deterministic, so tests may share them."""

import pytest

from printing.pdf import render_packet

from .fixtures import family_of_four, foreign_couple, many_movers


@pytest.fixture(scope="session")
def family_pdf() -> bytes:
    return render_packet(family_of_four())


@pytest.fixture(scope="session")
def foreign_pdf() -> bytes:
    return render_packet(foreign_couple())


@pytest.fixture(scope="session")
def crowd_pdf() -> bytes:
    """Twelve movers: more than one 住民異動届 sheet holds."""
    return render_packet(many_movers(12))
