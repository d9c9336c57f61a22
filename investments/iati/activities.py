"""Aid projects as IATI activity XML, version 2.03 (https://iatistandard.org/en/iati-standard/203/).

What each element says, from the record:

* **reporting-org** — the city's Department of Foreign Affairs, which keeps this
  portal, reporting for the city. There is no IATI organisation identifier for it
  (none is registered in the IATI Organisation Registration Agency list for a
  Vietnamese local government), so a clearly local reference is used:
  ``VN-CT-DOFA`` (country VN, Cần Thơ, Department of Foreign Affairs), with
  organisation type 11 *Local Government* (Cần Thơ is a sub-national government).
  Every ``iati-identifier`` starts with it: ``VN-CT-DOFA-AID-<record id>``.
* **participating-org** — role 1 *Funding*: each published donor on file (type from
  the partner's kind) and the donor as the source states it; role 2 *Accountable*:
  Cần Thơ City People's Committee, which approves and receives foreign
  non-governmental aid. No implementing organisation is on file, so none is named.
* **activity-status** — from the record's status (approved → 1 Pipeline, ongoing → 2
  Implementation, completed → 4 Closed); when the record says "unknown", from its
  dates (a start to come → 1, an end passed → 4, else 2).
* **activity-date** — start and end, *actual* for a completed project (start also
  for an ongoing one), *planned* otherwise. A date known only to the month or year
  is given as its first day (start) or last day (end), with a narrative saying so.
  When the sources give no date at all, the date of the first published article
  reporting the project stands as the planned start, and its narrative says that.
* **sector** — the portal's own fields (vocabulary 99, code = the field's slug, its
  names as narratives), and the OECD DAC 5-digit purpose code (vocabulary 1) for
  the fields that have an obvious one (:data:`DAC_CODES`); percentages split evenly.
* **transaction** — the amount as an incoming commitment (type 11) in its currency
  (VND for the seeds), value date = the start date (else the reporting date above),
  with the amount as the source states it as description.
* **document-link** — the project's public page, and each published source article.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from django.utils import timezone
from lxml import etree

from cantho.dates import DatePrecision
from cantho.exports import plain_number
from investments.models import AidProject
from partners.models import Partner

VERSION = "2.03"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema" / VERSION
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

REPORTING_ORG_REF = "VN-CT-DOFA"
REPORTING_ORG_TYPE = "11"  # Local Government
REPORTING_ORG_NAMES = {"vi": "Sở Ngoại vụ thành phố Cần Thơ", "en": "Department of Foreign Affairs of Cần Thơ City"}
ACCOUNTABLE_ORG_NAMES = {"vi": "Ủy ban nhân dân thành phố Cần Thơ", "en": "Cần Thơ City People's Committee"}

#: IATI OrganisationType of each kind of partner.
ORGANISATION_TYPES = {
    Partner.Kind.LOCALITY: "11",  # Local Government
    Partner.Kind.GOVERNMENT: "10",  # Government
    Partner.Kind.DOMESTIC: "10",
    Partner.Kind.INTERNATIONAL: "40",  # Multilateral
    Partner.Kind.NGO: "21",  # International NGO
    Partner.Kind.COMPANY: "70",  # Private Sector
    Partner.Kind.UNIVERSITY: "80",  # Academic, Training and Research
    Partner.Kind.ASSOCIATION: "90",  # Other
    Partner.Kind.OTHER: "90",
}

#: OECD DAC 5-digit purpose codes of the portal's fields, where one plainly fits.
DAC_CODES = {
    "education": "11110",  # Education policy and administrative management
    "health": "12110",  # Health policy and administrative management
    "water": "14010",  # Water sector policy and administrative management
    "waste-management": "14050",  # Waste management/disposal
    "culture": "16061",  # Culture and recreation
    "transport": "21010",  # Transport policy and administrative management
    "information-technology": "22040",  # Information and communication technology (ICT)
    "energy": "23110",  # Energy policy and administrative management
    "agriculture": "31110",  # Agricultural policy and administrative management
    "fisheries": "31310",  # Fishing policy and administrative management
    "manufacturing": "32110",  # Industrial policy and administrative management
    "food-processing": "32161",  # Agro-industries
    "construction": "32310",  # Construction policy and administrative management
    "trade": "33110",  # Trade policy and administrative management
    "tourism": "33210",  # Tourism policy and administrative management
    "environment": "41010",  # Environmental policy and administrative management
    "urban-management": "43030",  # Urban development and management
    "research": "43082",  # Research/scientific institutions
}

STATUS_CODES = {AidProject.Stage.APPROVED: "1", AidProject.Stage.ONGOING: "2", AidProject.Stage.COMPLETED: "4"}
PRECISION_NOTES = {
    DatePrecision.MONTH: {"vi": "Chỉ biết tháng.", "en": "Known to the month only."},
    DatePrecision.YEAR: {"vi": "Chỉ biết năm.", "en": "Known to the year only."},
}
PROXY_NOTE = {
    "vi": "Nguồn tin không nêu ngày; đây là ngày của bài báo đầu tiên đưa tin về dự án.",
    "en": "Not stated in the sources: the date of the first article reporting the project.",
}


def activity_identifier(project: AidProject) -> str:
    return f"{REPORTING_ORG_REF}-AID-{project.pk}"


# -- building blocks ------------------------------------------------------------------------------


def _narratives(parent: etree._Element, texts: dict[str, str]) -> None:
    """``<narrative>`` children: Vietnamese (the activity's default language) first, English with ``xml:lang`` when it differs."""
    vietnamese = (texts.get("vi") or "").strip()
    for lang in ("vi", "en"):
        text = (texts.get(lang) or "").strip()
        if text and not (lang == "en" and text == vietnamese):
            narrative = etree.SubElement(parent, "narrative")
            if lang != "vi":
                narrative.set(XML_LANG, lang)
            narrative.text = text


def _sub(parent: etree._Element, tag: str, texts: dict[str, str] | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {name.replace("_", "-"): value for name, value in attributes.items()})
    if texts:
        _narratives(element, texts)
    return element


def period_first_day(value: datetime.date, precision: str) -> datetime.date:
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def period_last_day(value: datetime.date, precision: str) -> datetime.date:
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def public_sources(project: AidProject) -> list:
    """The published articles the project comes from (``source_links`` prefetched with their articles), oldest first."""
    articles = [link.article for link in project.source_links.all() if link.article.is_public]
    return sorted(articles, key=lambda article: (article.dateline is None, article.dateline or timezone.now(), article.pk))


def reporting_date(project: AidProject, sources: list) -> datetime.date:
    """The stand-in date when the sources give none: the first published source article's, else the record's publication."""
    for article in sources:
        if article.dateline:
            return timezone.localdate(article.dateline)
    return timezone.localdate(project.published_at or project.created_at)


def activity_status(project: AidProject, today: datetime.date) -> str:
    if project.stage in STATUS_CODES:
        return STATUS_CODES[project.stage]
    if project.start_on and period_first_day(project.start_on, project.start_precision) > today:
        return "1"
    if project.end_on and period_last_day(project.end_on, project.end_precision) < today:
        return "4"
    return "2"


def even_percentages(count: int) -> list[str]:
    """``count`` percentages with two decimals that add up to exactly 100."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [share] * count
    shares[0] += Decimal(100) - share * count
    return [plain_number(value) for value in shares]


# -- the activity ---------------------------------------------------------------------------------


def activity_element(project: AidProject, *, page_url: str, absolute, field_url, today: datetime.date) -> etree._Element:
    """One ``<iati-activity>``. ``absolute`` makes a path an absolute URL; ``field_url(slug)`` the URL of a field's list."""
    activity = etree.Element("iati-activity")
    activity.set("last-updated-datetime", timezone.localtime(project.updated_at).isoformat(timespec="seconds"))
    activity.set(XML_LANG, "vi")
    activity.set("default-currency", project.currency or "VND")
    activity.set("hierarchy", "1")
    sources = public_sources(project)

    etree.SubElement(activity, "iati-identifier").text = activity_identifier(project)
    _sub(activity, "reporting-org", REPORTING_ORG_NAMES, ref=REPORTING_ORG_REF, type=REPORTING_ORG_TYPE)
    _sub(activity, "title", {"vi": project.title, "en": project.title_en})
    description = {"vi": project.description, "en": project.description_en}
    if not any(text.strip() for text in description.values()):
        description = {"vi": project.title, "en": project.title_en}
    _sub(activity, "description", description, type="1")

    # participating organisations: the funders, then the accountable city
    donors = [donor for donor in project.donors.all() if donor.is_public]
    for donor in donors:
        _sub(activity, "participating-org", {"vi": donor.name, "en": donor.name_en}, role="1", type=ORGANISATION_TYPES.get(donor.kind, "90"))
    if project.donor_name.strip():
        _sub(activity, "participating-org", {"vi": project.donor_name}, role="1")
    _sub(activity, "participating-org", ACCOUNTABLE_ORG_NAMES, role="2", type="11")

    _sub(activity, "activity-status", code=activity_status(project, today))

    # dates
    completed = project.stage == AidProject.Stage.COMPLETED
    started = completed or project.stage == AidProject.Stage.ONGOING
    stand_in = reporting_date(project, sources)
    if project.start_on:
        start = period_first_day(project.start_on, project.start_precision)
        _sub(activity, "activity-date", PRECISION_NOTES.get(project.start_precision), type="2" if started else "1", iso_date=start.isoformat())
    else:
        start = stand_in
        _sub(activity, "activity-date", PROXY_NOTE, type="1", iso_date=stand_in.isoformat())
    if project.end_on:
        end = period_last_day(project.end_on, project.end_precision)
        _sub(activity, "activity-date", PRECISION_NOTES.get(project.end_precision), type="4" if completed else "3", iso_date=end.isoformat())

    _sub(activity, "recipient-country", {"vi": "Việt Nam", "en": "Viet Nam"}, code="VN", percentage="100")

    # sectors: the portal's fields (vocabulary 99) and their DAC codes (vocabulary 1)
    fields = list(project.fields.all())
    dac = list(dict.fromkeys(DAC_CODES[field.slug] for field in fields if field.slug in DAC_CODES))
    for field, percentage in zip(fields, even_percentages(len(fields)) if fields else [], strict=True):
        names = {"vi": field.name, "en": field.name_en}
        _sub(activity, "sector", names, vocabulary="99", vocabulary_uri=field_url(field.slug), code=field.slug, percentage=percentage)
    for code, percentage in zip(dac, even_percentages(len(dac)) if dac else [], strict=True):
        _sub(activity, "sector", vocabulary="1", code=code, percentage=percentage)

    # money: an incoming commitment in its currency
    if project.amount is not None:
        transaction = etree.SubElement(activity, "transaction")
        _sub(transaction, "transaction-type", code="11")  # Incoming Commitment
        _sub(transaction, "transaction-date", iso_date=start.isoformat())
        value = _sub(transaction, "value", currency=project.currency or "VND", value_date=start.isoformat())
        value.text = plain_number(project.amount)
        if project.amount_text:
            _sub(transaction, "description", {"vi": project.amount_text})
        if donors:
            _sub(transaction, "provider-org", {"vi": donors[0].name, "en": donors[0].name_en})
        elif project.donor_name.strip():
            _sub(transaction, "provider-org", {"vi": project.donor_name})
        _sub(transaction, "receiver-org", ACCOUNTABLE_ORG_NAMES, type="11")

    # documents: the public page, then the source articles
    link = _sub(activity, "document-link", url=page_url, format="text/html")
    _sub(link, "title", {"vi": project.title, "en": project.title_en})
    _sub(link, "category", code="A12")  # Activity web page
    _sub(link, "language", code="vi")
    for article in sources:
        link = _sub(activity, "document-link", url=absolute(article.get_absolute_url()), format="text/html")
        _sub(link, "title", {"vi": article.title, "en": article.title_en})
        _sub(link, "category", code="A12")
        _sub(link, "language", code="vi")
        if article.dateline:
            _sub(link, "document-date", iso_date=timezone.localdate(article.dateline).isoformat())
    return activity


def activities_document(projects, *, page_url, absolute, field_url) -> bytes:
    """``<iati-activities version="2.03">`` holding one activity per project, as UTF-8 XML."""
    root = etree.Element("iati-activities", version=VERSION, nsmap=None)
    root.set("generated-datetime", timezone.localtime().replace(microsecond=0).isoformat())
    today = timezone.localdate()
    for project in projects:
        root.append(activity_element(project, page_url=page_url(project), absolute=absolute, field_url=field_url, today=today))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def schema() -> etree.XMLSchema:
    """The official IATI 2.03 activity schema shipped in ``investments/iati/schema/2.03/`` (for the tests)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))
