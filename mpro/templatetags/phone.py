"""`{{ number|phone }}`: a stored E.164 number (+4587410000) written the way people read it
(+45 87 41 00 00); `{{ number|phone_href }}` for tel: links."""

import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value or "", None)
    except phonenumbers.NumberParseException:
        return value or ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@register.filter
def phone_href(value: str) -> str:
    return "tel:" + "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")
