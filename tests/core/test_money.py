from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cantho.money import format_money, format_number


@pytest.mark.parametrize(
    ("amount", "currency", "vi", "en"),
    [
        (Decimal("1317000000"), "USD", "1,317 tỉ USD", "1.317 billion USD"),
        (Decimal("1300000000"), "USD", "1,3 tỉ USD", "1.3 billion USD"),
        (Decimal("171500000"), "USD", "171,5 triệu USD", "171.5 million USD"),
        (Decimal("10000000"), "USD", "10 triệu USD", "10 million USD"),
        (Decimal("34700000000"), "VND", "34,7 tỉ đồng", "34.7 billion VND"),
        (Decimal("2050000000"), "USD", "2,05 tỉ USD", "2.05 billion USD"),
        (Decimal("950000"), "VND", "950.000 đồng", "950,000 VND"),
        (Decimal("1234567890123"), "VND", "1.234,568 tỉ đồng", "1,234.568 billion VND"),
    ],
)
def test_money_is_written_the_way_each_language_writes_it(amount, currency, vi, en):
    assert format_money(amount, currency, "vi") == vi
    assert format_money(amount, currency, "en") == en


def test_figures_group_thousands_the_local_way():
    assert format_number(3274, "vi") == "3.274"
    assert format_number(3274, "en") == "3,274"
    assert format_number(Decimal("2.50"), "vi") == "2,5"
    assert format_number(None) == ""
    assert format_money(None, "USD") == ""


def test_template_filters_follow_the_active_language():
    template = Template("{% load portal %}{{ amount|money:'USD' }} · {{ n|figure }}")
    context = Context({"amount": Decimal("31400000"), "n": 482})
    with translation.override("vi"):
        assert template.render(context) == "31,4 triệu USD · 482"
    with translation.override("en"):
        assert template.render(context) == "31.4 million USD · 482"
