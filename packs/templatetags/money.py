"""`{{ amount|money:currency }}`: an amount formatted for the current language with Babel,
e.g. 1.870,00 kr. in Danish, 1 870,00 € in French, DKK 1,870.00 in English."""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def format_money(amount, currency: str, language: str | None = None) -> str:
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return ""
    locale = to_locale(language or get_language() or "en")
    try:
        return format_currency(value, currency, locale=locale)
    except Exception:  # an unknown locale or currency must not break a page
        return f"{value:.2f} {currency}"


@register.filter
def money(amount, currency: str = "EUR") -> str:
    return format_money(amount, currency)
