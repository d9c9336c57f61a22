"""Fixtures of the API tests: the seeded database (as the public-site tests have it) and a JSON getter."""

from __future__ import annotations

import pytest

from tests.public.conftest import _seeds_for_module, seeded  # noqa: F401 - fixtures shared with the public-site tests


def get_json(client, url: str, status: int = 200, **headers):
    """GET ``url``: the decoded JSON body, after checking the status."""
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/json", url
    return response.json()


def every_page(client, url: str) -> list[dict]:
    """Every record of a list, following ``next``."""
    records = []
    while url:
        body = get_json(client, url)
        records += body["results"]
        url = body["next"]
    return records


@pytest.fixture
def api(client):
    """The test client, as any anonymous visitor of the API."""
    return client
