"""cantho.widgets writes the filter forms' widgets byte for byte as Django's templates do."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cantho.filters import BoundedSelect
from cantho.widgets import FastWidgetMixin, fast_widget_class

CHOICES = [("", "Tất cả"), ("jp", "Nhật Bản"), ("x<y", 'A & B "quoted" <b>'), (2019, 2019), (12345, 12345), ("lazy", gettext_lazy("Category"))]
GROUPED = [("", "—"), ("Châu Á", [("jp", "Nhật Bản"), ("kr", "Hàn Quốc")]), ("Châu Âu & <khác>", [("fr", "Pháp")])]

CASES = [
    (forms.Select(choices=CHOICES), "country", None),
    (forms.Select(choices=CHOICES), "country", "jp"),
    (forms.Select(choices=CHOICES, attrs={"id": "id_country", "class": "a<b", "data-x": 0, "required": True, "hidden": False}), "country", "x<y"),
    (forms.Select(choices=CHOICES), "year", 2019),
    (forms.Select(choices=GROUPED), "region", "kr"),
    (forms.Select(choices=[]), "empty", None),
    (forms.Select(choices=[(mark_safe("<i>a</i>"), mark_safe("<i>safe</i>"))]), "safe", None),
    (forms.TextInput(attrs={"type": "search", "maxlength": 200, "placeholder": 'Tìm "đầu tư" & <khác>'}), "q", "hợp tác <Nhật>"),
    (forms.TextInput(), "q", None),
    (forms.TextInput(), "q", ""),
    (forms.NumberInput(attrs={"min": 1900, "max": 2100}), "year", 2019),
    (forms.NumberInput(), "amount", Decimal("1234.5")),
    (forms.DateInput(attrs={"type": "date"}), "day", datetime.date(2019, 1, 5)),
    (forms.HiddenInput(), "page", 3),
    (forms.EmailInput(), "email", "a@b.vn"),
    (forms.CheckboxInput(attrs={"class": "action-select", "aria-label": "Chọn <bài> & “tin”"}, check_test=lambda value: False), "_selected_action", "17"),
    (forms.CheckboxInput(), "agree", True),
    (forms.CheckboxInput(), "agree", False),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("widget", "name", "value"), CASES)
def test_fast_widgets_write_what_the_templates_write(widget, name, value, language):
    widget = copy.deepcopy(widget)
    with translation.override(language):
        expected = [widget.render(name, value, attrs={"id": f"id_{name}"}), widget.render(name, value)]
        widget.__class__ = fast_widget_class(type(widget))
        assert [widget.render(name, value, attrs={"id": f"id_{name}"}), widget.render(name, value)] == expected


def test_a_bounded_select_past_its_limit_is_written_the_same(db, monkeypatch):
    import cantho.filters as filters
    from partners.models import Partner

    monkeypatch.setattr(filters, "MAX_SELECT_OPTIONS", 1)
    for n in range(3):
        Partner.objects.create(name=f"Đối tác {n}", kind="ngo", status="published")
    chosen = Partner.objects.order_by("name").first().slug

    def widget(widget_class):
        field = forms.ModelChoiceField(queryset=Partner.objects.order_by("name"), to_field_name="slug", empty_label="Tất cả đối tác")
        field.widget = widget_class(count_key="test-widgets", directory_hint="Xem danh bạ <đối tác>")
        field.widget.choices = field.choices
        return field.widget

    expected = widget(BoundedSelect).render("partner", chosen)
    assert widget(fast_widget_class(BoundedSelect)).render("partner", chosen) == expected
    assert "disabled" in expected and "&lt;đối tác&gt;" in expected and "Đối tác 2" not in expected

    again = widget(BoundedSelect)
    first, other = Partner.objects.order_by("name")[:2]
    assert first.name in again.render("partner", first.slug)
    second = again.render("partner", other.slug)  # the same widget drawn again, for another record
    assert other.name in second and first.name not in second and "Xem danh bạ" in second


def test_the_fast_class_is_made_once_and_other_templates_go_through_django():
    assert fast_widget_class(forms.Select) is fast_widget_class(forms.Select)
    assert issubclass(fast_widget_class(forms.Select), FastWidgetMixin)
    widget = forms.CheckboxSelectMultiple(choices=[("a", "A")])
    expected = widget.render("c", ["a"])
    widget.__class__ = fast_widget_class(forms.CheckboxSelectMultiple)
    assert widget.render("c", ["a"]) == expected


@pytest.mark.parametrize("chosen", [None, "nang-luong"])
def test_a_model_choice_select_is_filled_by_one_plain_query(db, chosen):
    """On PostgreSQL Django's own choice iterator opens a server-side cursor (DECLARE, FETCH, CLOSE) for each <select>."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from cantho.models import Field
    from investments.filters import InvestmentFilter
    from investments.models import Investment

    energy = Field.objects.create(name="Năng lượng", name_en="Energy", slug="nang-luong")
    water = Field.objects.create(name="Cấp nước", name_en="Water supply", slug="cap-nuoc")
    Field.objects.create(name="Y tế", name_en="Health", slug="y-te")  # no published project: not offered
    for field in (energy, water):
        Investment.objects.create(name=f"Dự án {field.name}", sector=field, status="published")
    filterset = InvestmentFilter(QueryDict(f"sector={chosen}" if chosen else ""), queryset=Investment.objects.published())
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        html = str(filterset.form["sector"])
    assert [query["sql"].split(None, 1)[0].upper() for query in queries] == ["SELECT"]
    empty_label = str(InvestmentFilter.base_filters["sector"].extra["empty_label"])
    assert html.index(f">{empty_label}<") < html.index(">Cấp nước<") < html.index(">Năng lượng<")
    assert "Y tế" not in html
    assert ('selected' in html.split('value="nang-luong"')[1].split(">")[0]) is (chosen == "nang-luong")
