"""Fixtures for the fault tests: the admin tests' staff users and logged-in clients."""

from tests.admin.conftest import *  # noqa: F403
