"""Factories and form helpers for the admin tests.

Every factory makes a valid record with its related objects, so a page that
queried once per row or per relation would show it in the query counts.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from cantho.models import Field, Indicator, Metric, Status
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article, ArticlePhoto, Category
from partners.models import Agreement, Partner

_serial = itertools.count(1)


def _day(n: int) -> datetime.date:
    return datetime.date(2000 + n % 25, 1 + n % 12, 1 + n % 28)


def _status(n: int) -> str:
    return Status.PUBLISHED if n % 2 else Status.DRAFT


def field(**kw) -> Field:
    n = next(_serial)
    return Field.objects.create(**{"name": f"Lĩnh vực {n}", "name_en": f"Field {n}", "slug": f"field-{n}", **kw})


def category(**kw) -> Category:
    n = next(_serial)
    return Category.objects.create(**{"name": f"Chuyên mục {n}", "slug": f"category-{n}", **kw})


def metric(**kw) -> Metric:
    n = next(_serial)
    return Metric.objects.create(**{"name": f"Số đoàn khách {n}", "unit": "đoàn", "slug": f"metric-{n}", **kw})


def article(**kw) -> Article:
    n = next(_serial)
    values = {
        "title": f"Hợp tác quốc tế số {n}",
        "category": category(),
        "dateline": timezone.make_aware(datetime.datetime.combine(_day(n), datetime.time(9, 30))),
        "date_precision": Article.DatePrecision.MINUTE,
        "source_name": "baocantho.com.vn",
        "status": _status(n),
    }
    record = Article.objects.create(**{**values, **kw})
    ArticlePhoto.objects.create(article=record, caption=f"Ảnh {n}")
    return record


def partner(fields=None, **kw) -> Partner:
    n = next(_serial)
    values = {"name": f"Đối tác {n}", "kind": Partner.Kind.LOCALITY, "country": "JP", "since": _day(n), "since_precision": "month", "status": _status(n)}
    record = Partner.objects.create(**{**values, **kw})
    record.fields.set(fields if fields is not None else [field(), field()])
    return record


def agreement(partners=None, **kw) -> Agreement:
    n = next(_serial)
    values = {"title": f"Bản ghi nhớ {n}", "kind": Agreement.Kind.MOU, "signed_on": _day(n), "status": _status(n)}
    record = Agreement.objects.create(**{**values, **kw})
    record.partners.set(partners if partners is not None else [partner(fields=[]), partner(fields=[])])
    record.fields.set([field()])
    return record


def event(partners=None, **kw) -> Event:
    n = next(_serial)
    start = _day(n)
    values = {
        "title": f"Đoàn công tác {n}",
        "kind": Event.Kind.OUTBOUND,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=4),
        "country": "CN",
        "status": _status(n),
    }
    record = Event.objects.create(**{**values, **kw})
    record.partners.set(partners if partners is not None else [partner(fields=[]), partner(fields=[])])
    record.fields.set([field()])
    return record


def investment(**kw) -> Investment:
    n = next(_serial)
    values = {
        "name": f"Nhà máy {n}",
        "investor": partner(fields=[], kind=Partner.Kind.COMPANY),
        "country": "KR",
        "sector": field(),
        "capital_amount": Decimal(1_000_000 * n),
        "licensed_on": _day(n),
        "status": _status(n),
    }
    return Investment.objects.create(**{**values, **kw})


def aid_project(**kw) -> AidProject:
    n = next(_serial)
    values = {"title": f"Dự án viện trợ {n}", "amount_text": f"{n} tỉ đồng", "start_on": _day(n), "status": _status(n)}
    record = AidProject.objects.create(**{**values, **kw})
    record.donors.set([partner(fields=[], kind=Partner.Kind.NGO), partner(fields=[], kind=Partner.Kind.NGO)])
    record.fields.set([field()])
    return record


def indicator(**kw) -> Indicator:
    n = next(_serial)
    values = {"metric": metric(), "year": 2000 + n % 25, "value": Decimal(n), "status": _status(n)}
    return Indicator.objects.create(**{**values, **kw})


#: Model -> factory of one record with its related objects, for every model with an admin page.
FACTORIES = {
    Article: article,
    Category: category,
    Partner: partner,
    Agreement: agreement,
    Event: event,
    Investment: investment,
    AidProject: aid_project,
    Indicator: indicator,
    Field: field,
    Metric: metric,
}


def admin_url(model, view: str, *args) -> str:
    """``admin_url(Partner, "change", pk)`` -> /admin/partners/partner/<pk>/change/."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class _FormReader(HTMLParser):
    """Collects what a browser would submit from one ``<form>`` of a page."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset", "file", "image") or (kind in ("checkbox", "radio") and "checked" not in attrs):
                return
            self.add(name, attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "first": None, "chosen": False}
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"] = True
                self.add(self.select["name"], value)
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            single = self.select
            if not single["multiple"] and not single["chosen"] and single["first"] is not None:
                self.add(single["name"], single["first"])  # browsers submit the first option
            self.select = None
        elif tag == "textarea" and self.textarea:
            value = self.data[self.textarea][-1]
            self.data[self.textarea][-1] = value[1:] if value.startswith("\n") else value  # HTML drops that newline
            self.textarea = None


def form_data(response) -> dict:
    """The POST data of the admin add/change form in ``response``, as a browser would send it unchanged."""
    reader = _FormReader(f"{response.context['opts'].model_name}_form")
    reader.feed(response.content.decode())
    assert reader.data, "no admin form found on the page"
    return {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}
