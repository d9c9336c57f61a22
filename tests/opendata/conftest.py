"""Fixtures for the open-data tests: the seeded database of the public-site tests."""

from tests.public.conftest import _seeds_for_module, seeded  # noqa: F401
