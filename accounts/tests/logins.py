"""Logging in as a person would, through the login form (the lockout and the account screen's
tests): what a real login sees, not force_login."""

from django.test import Client
from django.urls import reverse

from demo.staff import DEMO_PASSWORD


def attempt(username, password, client=None):
    client = client or Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client


def logs_in(username, password=DEMO_PASSWORD) -> bool:
    return "_auth_user_id" in attempt(username, password).session
