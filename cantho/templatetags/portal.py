"""Template filters for showing records the local way."""

from django import template

from cantho.dates import format_partial
from cantho.money import format_money, format_number

register = template.Library()


@register.filter
def money(amount, currency="USD"):
    """{{ investment.capital_amount|money:investment.capital_currency }}"""
    return format_money(amount, currency)


@register.filter
def figure(value):
    """{{ indicator.value|figure }} -> 3.274 / 3,274"""
    return format_number(value)


@register.filter
def partial_date(value, precision="day"):
    """{{ agreement.signed_on|partial_date:agreement.signed_precision }} -> 09/2016"""
    return format_partial(value, precision)


@register.filter
def localized(record, name):
    """{{ partner|localized:"description" }}: the English text on the English site when there is one."""
    return record.localized(name)
