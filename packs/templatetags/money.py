"""`{{ amount|money:currency }}`: an amount formatted for the current language with Babel,
e.g. 1.870,00 kr. in Danish, 1 870,00 € in French, DKK 1,870.00 in English."""

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()
LETTER_CODE_FIRST = re.compile(r"^([A-Za-z]{2,3})(-?\d)")


def format_money(amount, currency: str, language: str | None = None) -> str:
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return ""
    locale = to_locale(language or get_language() or "en")
    try:
        text = format_currency(value, currency, locale=locale)
    except Exception:  # an unknown locale or currency must not break a page
        return f"{value:.2f} {currency}"
    # English glues a letter code to the digits ("DKK1,870.00"): keep them apart.
    return LETTER_CODE_FIRST.sub("\\1\u00a0\\2", text)


@register.filter
def money(amount, currency: str = "EUR") -> str:
    return format_money(amount, currency)
