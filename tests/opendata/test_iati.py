"""Aid projects as IATI 2.03 activity XML, validated against the official schema shipped with the app."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from cantho.models import Field, Status
from investments.iati import activities as iati
from investments.models import AidProject
from news.models import Article
from partners.models import Partner

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema():
    return iati.schema()


def fetch(client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(response.content)


def assert_valid(schema, document: etree._Element) -> None:
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)


def activity_of(document: etree._Element, project: AidProject) -> etree._Element:
    (activity,) = document.xpath("iati-activity[iati-identifier=$id]", id=f"VN-CT-DOFA-AID-{project.pk}")
    return activity


def narratives(element: etree._Element) -> dict[str, str]:
    return {narrative.get(XML_LANG, "vi"): narrative.text for narrative in element.findall("narrative")}


def test_every_published_aid_project_validates_against_iati_203(seeded, client, schema):
    document = fetch(client, "/en/aid/iati.xml")
    assert_valid(schema, document)
    assert document.get("version") == "2.03"
    identifiers = document.xpath("iati-activity/iati-identifier/text()")
    assert sorted(identifiers) == sorted(f"VN-CT-DOFA-AID-{pk}" for pk in AidProject.objects.published().values_list("pk", flat=True))
    assert len(identifiers) == 5


def test_the_schema_check_can_fail(seeded, client, schema):
    document = fetch(client, "/aid/iati.xml")
    activity = document.find("iati-activity")
    activity.remove(activity.find("reporting-org"))
    assert not schema.validate(document)


def test_an_activity_says_who_what_when_how_much_and_where_to_read_more(seeded, client, schema):
    project = AidProject.objects.published().filter(amount__isnull=False).exclude(donors=None).first()
    document = fetch(client, f"/aid/{project.slug}/iati.xml")
    assert_valid(schema, document)
    (activity,) = document.findall("iati-activity")
    assert activity.get(XML_LANG) == "vi" and activity.get("default-currency") == "VND"
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("VN-CT-DOFA", "11")
    assert narratives(activity.find("title")) == {"vi": project.title, "en": project.title_en}
    funders = [narratives(org)["vi"] for org in activity.findall("participating-org[@role='1']")]
    assert [donor.name for donor in project.donors.all() if donor.is_public] == funders[: len(funders) - bool(project.donor_name)]
    assert narratives(activity.find("participating-org[@role='2']"))["en"] == "Cần Thơ City People's Committee"
    assert activity.find("activity-status").get("code") in {"1", "2", "3", "4"}
    assert activity.find("activity-date").get("iso-date")
    value = activity.find("transaction/value")
    assert (Decimal(value.text), value.get("currency")) == (project.amount, project.currency)
    assert activity.find("transaction/transaction-type").get("code") == "11"
    links = activity.xpath("document-link/@url")
    assert links[0] == f"http://testserver{project.get_absolute_url()}"
    sources = [link.article for link in project.source_links.all() if link.article.is_public]
    assert sorted(links[1:]) == sorted(f"http://testserver{article.get_absolute_url()}" for article in sources)
    assert sources, "the seeds give every aid project a source article"


def test_sectors_from_the_fields_with_dac_codes_where_they_fit(seeded, client, schema):
    health = Field.objects.get_or_create(slug="health", defaults={"name": "Y tế", "name_en": "Health"})[0]
    education = Field.objects.get_or_create(slug="education", defaults={"name": "Giáo dục", "name_en": "Education"})[0]
    people = Field.objects.get_or_create(slug="people-to-people", defaults={"name": "Ngoại giao nhân dân", "name_en": "People-to-people diplomacy"})[0]
    donor = Partner.objects.create(name="Quỹ Hữu nghị", kind=Partner.Kind.NGO, country="JP", status=Status.PUBLISHED)
    project = AidProject.objects.create(
        title="Trường học xanh",
        title_en="Green schools",
        amount=Decimal("1250000000"),
        currency="VND",
        start_on=datetime.date(2023, 5, 1),
        start_precision="month",
        end_on=datetime.date(2025, 1, 1),
        end_precision="year",
        stage=AidProject.Stage.COMPLETED,
        status=Status.PUBLISHED,
    )
    project.fields.set([health, education, people])
    project.donors.set([donor])
    document = fetch(client, f"/aid/{project.slug}/iati.xml")
    assert_valid(schema, document)
    activity = document.find("iati-activity")
    local = activity.findall("sector[@vocabulary='99']")
    assert {sector.get("code") for sector in local} == {"health", "education", "people-to-people"}
    assert sum(Decimal(sector.get("percentage")) for sector in local) == 100
    dac = activity.findall("sector[@vocabulary='1']")
    assert {sector.get("code") for sector in dac} == {"12110", "11110"}
    assert sum(Decimal(sector.get("percentage")) for sector in dac) == 100
    dates = {date.get("type"): date.get("iso-date") for date in activity.findall("activity-date")}
    assert dates == {"2": "2023-05-01", "4": "2025-12-31"}, "actual start and end, each at the edge of its known period"
    assert activity.find("activity-status").get("code") == "4"
    assert activity.find("participating-org[@role='1']").get("type") == "21"


def test_a_project_with_no_date_no_amount_and_no_description_is_still_valid(seeded, client, schema):
    article = Article.objects.create(
        title="Bài về dự án", dateline=datetime.datetime(2022, 1, 18, 9, 0, tzinfo=datetime.UTC), date_precision="day", status=Status.PUBLISHED
    )
    project = AidProject.objects.create(title="Dự án chưa rõ", status=Status.PUBLISHED)
    project.source_links.create(article=article, quote="…")
    document = fetch(client, f"/aid/{project.slug}/iati.xml")
    assert_valid(schema, document)
    activity = document.find("iati-activity")
    date = activity.find("activity-date")
    assert (date.get("type"), date.get("iso-date")) == ("1", "2022-01-18")
    assert "first article" in narratives(date)["en"]
    assert activity.find("transaction") is None
    assert narratives(activity.find("description"))["vi"] == "Dự án chưa rõ"


def test_drafts_and_draft_donors_are_never_in_the_xml(seeded, client):
    draft = AidProject.objects.create(title="Dự án nháp", status=Status.DRAFT)
    hidden = Partner.objects.create(name="Nhà tài trợ nháp", kind=Partner.Kind.NGO, status=Status.DRAFT)
    AidProject.objects.published().first().donors.add(hidden)
    body = client.get("/aid/iati.xml").content.decode()
    assert "Dự án nháp" not in body and "Nhà tài trợ nháp" not in body
    assert client.get(f"/aid/{draft.slug}/iati.xml").status_code == 404


def test_no_published_project_is_a_404_not_an_invalid_document(seeded, client):
    AidProject.objects.update(status=Status.DRAFT)
    assert client.get("/aid/iati.xml").status_code == 404


def test_aid_pages_link_their_iati_xml(seeded, client):
    assert 'href="/aid/iati.xml"' in client.get("/aid/").content.decode()
    project = AidProject.objects.published().first()
    assert f'href="/aid/{project.slug}/iati.xml"' in client.get(project.get_absolute_url()).content.decode()


def test_iati_query_count_is_fixed(seeded, client, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get("/aid/iati.xml")
    AidProject.objects.create(title="Thêm một dự án", status=Status.PUBLISHED)
    with django_assert_num_queries(4):
        client.get("/aid/iati.xml")


def test_even_percentages_add_up():
    for count in range(1, 12):
        assert sum(Decimal(value) for value in iati.even_percentages(count)) == 100
