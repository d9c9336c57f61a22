"""Fixtures for the editorial tests: the admin tests' staff users in each role and their logged-in clients."""

from tests.admin.conftest import *  # noqa: F403
