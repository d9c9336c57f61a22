"""Fixtures for the public-site tests."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _seeds_for_module(django_db_setup, django_db_blocker):
    """Import the seeds once per test module, inside a transaction rolled back at its end.

    Each test then runs in its own savepoint within it (pytest-django's ``db``),
    the pattern of Django's ``TestCase.setUpTestData``.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("import_seeds", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeds_for_module, db):
    """The database as `make run` leaves it: the five seed articles and the curated records."""
