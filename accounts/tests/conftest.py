import pytest
from django.test import Client


@pytest.fixture
def admin_client(admin):
    """The administrator's own browser, beside the one a test logs in with."""
    c = Client()
    c.force_login(admin)
    return c
