import datetime

import pytest
from django import forms
from django.test import override_settings
from django.utils import formats, translation

from cantho.dates import DatePrecision, format_partial, format_partial_range, truncate


class DateForm(forms.Form):
    day = forms.DateField()
    moment = forms.DateTimeField()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dates_typed_in_forms_are_read_day_first(lang):
    with translation.override(lang):
        form = DateForm(data={"day": "06/05/2024", "moment": "06/05/2024 14:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2024, 5, 6)
    assert form.cleaned_data["moment"].date() == datetime.date(2024, 5, 6)


def test_impossible_day_first_date_is_a_form_error_not_a_swap():
    with translation.override("vi"):
        form = DateForm(data={"day": "05/31/2024", "moment": "01/01/2024 10:00"})
        assert not form.is_valid()
        assert "day" in form.errors


def test_partial_dates_show_only_what_is_known():
    may = datetime.date(2024, 5, 1)
    assert format_partial(may, DatePrecision.MONTH, "vi") == "05/2024"
    with translation.override("en"):
        assert format_partial(may, DatePrecision.MONTH) == "May 2024"
    assert format_partial(datetime.date(2016, 1, 1), DatePrecision.YEAR, "vi") == "2016"
    with translation.override("vi"):
        assert format_partial(datetime.date(2019, 1, 5), DatePrecision.DAY) == "05/01/2019"
    with translation.override("en"):
        assert format_partial(datetime.date(2019, 1, 5), DatePrecision.DAY) == "5 January 2019"
    assert format_partial(None, DatePrecision.DAY) == ""


def test_partial_date_ranges_and_truncation():
    with translation.override("vi"):
        assert format_partial_range(datetime.date(2024, 5, 6), datetime.date(2024, 5, 10), "day") == "06/05/2024 – 10/05/2024"
        assert format_partial_range(datetime.date(2024, 5, 6), None, "day") == "06/05/2024"
    assert truncate(datetime.date(2024, 5, 17), DatePrecision.MONTH) == datetime.date(2024, 5, 1)
    assert truncate(datetime.date(2024, 5, 17), DatePrecision.YEAR) == datetime.date(2024, 1, 1)


def test_remembered_dates_follow_a_change_of_formats():
    day = datetime.date(2019, 1, 5)
    with translation.override("en"):
        assert format_partial(day, DatePrecision.DAY) == "5 January 2019"
        try:
            with override_settings(FORMAT_MODULE_PATH=None):  # Django's own English formats: "N j, Y"
                formats.reset_format_cache()  # Django keeps the modules it found per language
                assert format_partial(day, DatePrecision.DAY) == "Jan. 5, 2019"
        finally:
            formats.reset_format_cache()
        assert format_partial(day, DatePrecision.DAY) == "5 January 2019"


def test_a_moment_given_for_a_day_shows_its_own_local_day():
    """Equal instants in two time zones are equal keys, yet fall on different days: never remembered."""
    late_in_utc = datetime.datetime(2024, 5, 6, 23, 0, tzinfo=datetime.UTC)
    same_in_can_tho = late_in_utc.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    with translation.override("vi"):
        assert format_partial(late_in_utc, DatePrecision.DAY) == "06/05/2024"
        assert format_partial(same_in_can_tho, DatePrecision.DAY) == "07/05/2024"
