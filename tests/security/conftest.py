"""Fixtures for the security tests: the seeded site (tests/public) and the staff roles (tests/admin)."""

from tests.admin.conftest import editor, publisher, superuser  # noqa: F401
from tests.public.conftest import _seeds_for_module, seeded  # noqa: F401
