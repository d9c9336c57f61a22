"""Fixtures for the open-data tests: the seeded database of the public-site tests, and staff clients."""

from tests.admin.conftest import editor, editor_client, publisher, publisher_client  # noqa: F401
from tests.public.conftest import _seeds_for_module, seeded  # noqa: F401
