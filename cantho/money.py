"""Money the way each language writes it: "1,317 tỉ USD" / "1.317 billion USD"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

_SCALES = [
    (Decimal(10) ** 9, {"vi": "tỉ", "en": "billion"}),
    (Decimal(10) ** 6, {"vi": "triệu", "en": "million"}),
]
_CURRENCY_WORD = {"vi": {"VND": "đồng"}, "en": {}}


def _number(value: Decimal, lang: str, places: int) -> str:
    """Group thousands and mark decimals the language's way, without trailing zeros."""
    quantized = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{quantized:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def format_money(amount: Decimal | int | None, currency: str, lang: str | None = None) -> str:
    """Large amounts in tỉ/triệu (billion/million) with up to three decimals."""
    if amount is None:
        return ""
    lang = "en" if (lang or get_language() or "vi").startswith("en") else "vi"
    amount = Decimal(amount)
    unit = _CURRENCY_WORD[lang].get(currency, currency)
    for size, words in _SCALES:
        if abs(amount) >= size:
            return f"{_number(amount / size, lang, 3)} {words[lang]} {unit}"
    return f"{_number(amount, lang, 0)} {unit}"


def format_number(value: Decimal | int | None, lang: str | None = None) -> str:
    """A plain figure: 3.274 in Vietnamese, 3,274 in English."""
    if value is None:
        return ""
    lang = "en" if (lang or get_language() or "vi").startswith("en") else "vi"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return _number(value, lang, places)
