"""Fixtures for the security tests: the seeded site (tests/public) and the staff roles (tests/admin)."""

from tests.admin.conftest import editor, publisher, superuser  # noqa: F401
from tests.public.conftest import _seeds_for_module, seeded  # noqa: F401


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_fuzz import RUN

    if RUN:
        terminalreporter.write_line("fuzz examples run: " + ", ".join(f"{name}: {count}" for name, count in RUN.items()) + f" (total {sum(RUN.values())})")
