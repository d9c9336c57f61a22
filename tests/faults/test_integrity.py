"""Database-level integrity: the database itself refuses rows the domain forbids, whatever code writes them.

Every check here bypasses forms and ``save()`` (``queryset.update`` / ``bulk_create``), so
only the constraints in the schema stand between the row and the table. The admin shows
the same rules as form errors, never a server error; the migrations go back and forth.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from cantho.models import Indicator
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article, ArticlePhoto, Category
from partners.models import Agreement, Partner
from tests.admin.helpers import admin_url, agreement, aid_project, event, form_data, indicator, investment, partner

D = datetime.date


def refused(queryset, **values):
    """True when the database refuses ``queryset.update(**values)`` (and nothing changes)."""
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "values"),
    [
        (event, {"start_date": D(2024, 5, 10), "end_date": D(2024, 5, 6), "date_precision": "day"}),
        (event, {"start_date": D(2024, 6, 1), "end_date": D(2024, 5, 1), "date_precision": "month"}),
        (agreement, {"signed_on": D(2024, 5, 15), "ends_on": D(2024, 5, 14), "ends_precision": "day"}),
        (agreement, {"signed_on": D(2024, 5, 15), "ends_on": D(2024, 4, 1), "ends_precision": "month"}),
        (agreement, {"signed_on": D(2024, 5, 15), "ends_on": D(2023, 1, 1), "ends_precision": "year"}),
        (aid_project, {"start_on": D(2020, 1, 1), "end_on": D(2019, 1, 1), "end_precision": "year"}),
        (investment, {"capital_amount": Decimal("-1")}),
        (aid_project, {"amount": Decimal("-0.01")}),
        (indicator, {"value": Decimal("-5")}),
        (partner, {"slug": ""}),
        (event, {"slug": ""}),
        (investment, {"capital_currency": "EUR"}),
        (partner, {"status": "deleted"}),
        (agreement, {"version": 0}),
        (partner, {"since_precision": "week"}),
        (partner, {"logo": "partners/logos/x.png", "logo_alt": ""}),
    ],
    ids=lambda value: getattr(value, "__name__", None) or ",".join(f"{k}={v}" for k, v in value.items()),
)
def test_the_database_refuses_a_forbidden_row(factory, values):
    record = factory()
    before = type(record).objects.filter(pk=record.pk).values(*values).get()
    assert refused(type(record).objects.filter(pk=record.pk), **values)
    assert type(record).objects.filter(pk=record.pk).values(*values).get() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "values"),
    [
        # An end known to the month or the year may share it with a day-precise start.
        (agreement, {"signed_on": D(2024, 5, 15), "ends_on": D(2024, 5, 1), "ends_precision": "month"}),
        (agreement, {"signed_on": D(2024, 5, 15), "ends_on": D(2024, 1, 1), "ends_precision": "year"}),
        (aid_project, {"start_on": D(2020, 7, 1), "end_on": D(2020, 1, 1), "end_precision": "year"}),
        (event, {"start_date": D(2024, 5, 1), "end_date": D(2024, 5, 1), "date_precision": "month"}),
        (event, {"start_date": D(2024, 5, 6), "end_date": None}),
        (investment, {"capital_amount": Decimal(0)}),
        (investment, {"capital_amount": None}),
    ],
    ids=lambda value: getattr(value, "__name__", None) or ",".join(f"{k}={v}" for k, v in value.items()),
)
def test_the_database_accepts_what_the_domain_allows(factory, values):
    record = factory()
    assert not refused(type(record).objects.filter(pk=record.pk), **values)


@pytest.mark.django_db
def test_bulk_create_cannot_slip_in_a_bad_row_and_writes_none_of_the_batch():
    good = Event(title="Hội nghị", slug="hoi-nghi", kind="conference", start_date=D(2024, 5, 6), end_date=D(2024, 5, 7))
    bad = Event(title="Đoàn ra", slug="doan-ra", kind="outbound", start_date=D(2024, 5, 6), end_date=D(2024, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.bulk_create([good, bad])
    assert not Event.objects.filter(slug__in=["hoi-nghi", "doan-ra"]).exists()

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.bulk_create([Partner(name="A", slug="same", kind="ngo"), Partner(name="B", slug="same", kind="ngo")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.bulk_create([Category(name="Không có slug", slug="")])
    article = Article.objects.create(title="Bài có ảnh")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticlePhoto.objects.bulk_create([ArticlePhoto(article=article, image="articles/2024/a.jpg", caption="Ảnh", alt_text="")])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticlePhoto.objects.bulk_create([ArticlePhoto(article_id=None, caption="Ảnh mồ côi")])  # a photo needs its article


@pytest.mark.django_db
def test_two_values_for_one_metric_and_year_are_refused():
    first = indicator(year=2019)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.bulk_create([Indicator(metric=first.metric, year=2019, value=1)])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "changes", "message"),
    [
        (event, {"start_date": "10/05/2024", "end_date": "06/05/2024", "date_precision": "day"}, "The end date cannot be before the start date."),
        (agreement, {"signed_on": "15/05/2024", "ends_on": "14/05/2024", "ends_precision": "day"}, "The end date cannot be before the signing date."),
        (aid_project, {"start_on": "01/01/2021", "end_on": "01/01/2020", "end_precision": "year"}, "The end date cannot be before the start date."),
    ],
    ids=["event", "agreement", "aid project"],
)
def test_the_admin_shows_a_broken_rule_as_a_form_error_not_a_server_error(publisher_client, factory, changes, message):
    record = factory()
    with translation.override("en"):
        url = admin_url(type(record), "change", record.pk)
    data = form_data(publisher_client.get(url))
    data.update(changes)
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert message in errors
    assert type(record).objects.get(pk=record.pk).version == record.version


@pytest.mark.django_db
def test_the_admin_accepts_an_end_month_shared_with_the_signing_day(publisher_client):
    record = agreement()
    with translation.override("en"):
        url = admin_url(Agreement, "change", record.pk)
    data = form_data(publisher_client.get(url))
    data.update(signed_on="15/05/2024", signed_precision="day", ends_on="01/05/2024", ends_precision="month")
    response = publisher_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Agreement.objects.get(pk=record.pk)
    assert (stored.signed_on, stored.ends_on, stored.ends_precision) == (D(2024, 5, 15), D(2024, 5, 1), "month")


OUR_APPS = ["news", "partners", "events", "investments", "cantho"]


@pytest.mark.django_db(transaction=True)
def test_every_migration_goes_back_to_zero_and_forward_again():
    """All the project's migrations are reversible: unapply them all, check the tables are gone, apply them again."""
    leaves = {app: MigrationRecorder(connection).migration_qs.filter(app=app).order_by("-id").values_list("name", flat=True).first() for app in OUR_APPS}
    assert all(leaves.values())
    tables_before = set(connection.introspection.table_names())
    try:
        for app in OUR_APPS:
            call_command("migrate", app, "zero", verbosity=0)
        tables = set(connection.introspection.table_names())
        assert not {t for t in tables if t.split("_")[0] in OUR_APPS}, sorted(tables)
    finally:
        call_command("migrate", verbosity=0)
    assert set(connection.introspection.table_names()) == tables_before
    executor = MigrationExecutor(connection)
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
    # And the constraints are back: a negative capital is refused again.
    record = investment()
    assert refused(Investment.objects.filter(pk=record.pk), capital_amount=Decimal(-1))
    assert AidProject.objects.count() == 0
