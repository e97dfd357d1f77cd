"""Field rules shared by every entry point (services call them; forms and serializers show their
messages). Each raises django.core.exceptions.ValidationError with a translated message."""

import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Country

# Postal code formats of the markets we serve.
POSTAL_CODES = {
    Country.AT: (r"\d{4}", "1010"),
    Country.BE: (r"\d{4}", "1000"),
    Country.DE: (r"\d{5}", "10115"),
    Country.DK: (r"\d{4}", "8000"),
    Country.ES: (r"\d{5}", "28001"),
    Country.FR: (r"\d{5}", "75015"),
    Country.GB: (r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "SW1A 1AA"),
    Country.IT: (r"\d{5}", "00184"),
    Country.NL: (r"\d{4} ?[A-Z]{2}", "1012 AB"),
}

# VAT numbers: country prefix then 2–13 letters/digits (the tax office checks the rest).
VAT_PATTERN = re.compile(r"[A-Z]{2}[0-9A-Z]{2,13}")

LANGUAGE_REGIONS = {"da": "DK", "fr": "FR", "de": "DE", "en": "GB"}
MINIMUM_AGE = 18


def normalize_country(value: str) -> str:
    country = (value or "").strip().upper()
    if country not in Country.values:
        raise ValidationError(
            _("We do not serve this country yet. Choose one of: %(countries)s.")
            % {"countries": ", ".join(sorted(Country.values))}
        )
    return country


def normalize_postal_code(value: str, country: str) -> str:
    code = " ".join((value or "").upper().split())
    pattern, example = POSTAL_CODES.get(country, (r"[0-9A-Z -]{2,10}", "12345"))
    if not re.fullmatch(pattern, code):
        raise ValidationError(
            _("This postal code does not fit %(country)s (example: %(example)s).")
            % {
                "country": Country(country).label if country in Country.values else country,
                "example": example,
            }
        )
    return code


def normalize_phone(value: str, region: str | None = None) -> str:
    """Returns the number in E.164 (+4512345678). Local numbers are read in `region`."""
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region if not raw.startswith("+") else None)
    except phonenumbers.NumberParseException:
        number = None
    # A number typed without a prefix is read in the company's country and accepted when it has the
    # country's length (12345678 in Denmark → +45 12345678), even if the numbering plan does not list
    # its range yet; a number with a prefix must be a known, valid one.
    local_and_possible = (
        number is not None and region and not raw.startswith("+") and phonenumbers.is_possible_number(number)
    )
    if number is None or not (phonenumbers.is_valid_number(number) or local_and_possible):
        raise ValidationError(_("Enter a valid phone number, for example +45 12 34 56 78."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_vat_number(value: str) -> str:
    vat = re.sub(r"[\s.-]", "", (value or "").upper())
    if vat and not VAT_PATTERN.fullmatch(vat):
        raise ValidationError(_("Enter the VAT number with its country prefix, for example DK12345678."))
    return vat


def validate_birth_date(value: datetime.date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."))
    eighteen = (
        value.replace(year=value.year + MINIMUM_AGE)
        if not (value.month == 2 and value.day == 29)
        else (datetime.date(value.year + MINIMUM_AGE, 3, 1))
    )
    if eighteen > today:
        raise ValidationError(_("You must be at least 18 years old to use mpro."))
    if value.year < 1900:
        raise ValidationError(_("Enter a real date of birth."))


def region_for(*, country: str | None = None, language: str | None = None) -> str:
    return country or LANGUAGE_REGIONS.get((language or "en")[:2], "GB")
