"""Query budgets: no changelist runs a query per row.

Each list holds 50 rows with their related objects (partners of an agreement,
investor and sector of an investment, category of an article...). The counts
are fixed numbers: session, user, the user's two permission lookups, then the
list's own queries (filters' choices, date hierarchy, counts, rows, one query
per prefetched many-to-many column). A column that queried per row would add 50.
"""

from __future__ import annotations

import pytest

from cantho.models import Field, Indicator, Metric
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article, Category
from partners.models import Agreement, Partner
from tests.admin.helpers import FACTORIES, admin_url

pytestmark = pytest.mark.django_db

#: Queries per changelist of 50 rows, for a Publisher.
BUDGET = {
    Article: 11,
    Category: 7,
    Partner: 12,
    Agreement: 12,
    Event: 13,
    Investment: 12,
    AidProject: 12,
    Indicator: 9,
    Field: 7,
    Metric: 7,
}


def test_every_changelist_has_a_budget():
    assert set(BUDGET) == set(FACTORIES)


@pytest.mark.parametrize("model", BUDGET, ids=lambda model: model._meta.label)
def test_changelist_of_50_rows_has_a_fixed_number_of_queries(publisher_client, django_assert_num_queries, model):
    for _ in range(50):
        FACTORIES[model]()
    url = admin_url(model, "changelist")
    with django_assert_num_queries(BUDGET[model]):
        response = publisher_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50
