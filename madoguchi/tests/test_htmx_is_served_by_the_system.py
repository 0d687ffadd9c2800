"""htmx comes from the django-htmx pip package (no npm) and the system serves it itself: an
LGWAN has no CDN."""

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_page_loads_htmx_2_from_the_systems_own_static_files():
    page = Client().get("/accounts/login/").content.decode()
    src = re.search(r'<script src="([^"]*htmx[^"]*)"', page).group(1)
    assert src.startswith("/static/django_htmx/")
    r = Client().get(src)
    assert r.status_code == 200
    body = b"".join(r.streaming_content) if r.streaming else r.content
    assert re.search(rb'version:"2\.\d+\.\d+"', body)
