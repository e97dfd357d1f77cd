"""VIN rules: normalise, validate and decode a vehicle identification number, and decide whether
the vehicle may join an mpro fleet (only Mercedes-Benz vans may).

How a VIN is read here
----------------------
1. `normalize_vin`: every kind of white space is removed and letters are upper-cased, so
   " w1v 907 6331p000123 " becomes "W1V9076331P000123".
2. `validate_vin`: ISO 3779 form: exactly 17 characters, digits and the letters A-Z except I, O
   and Q (too easily read as 1 and 0). Each failure names what is wrong and where.
3. `decode_vin`: the manufacturer code (WMI, characters 1-3) is looked up in two tables:
   - the `vininfo` library's WMI table (it names the maker of any brand: Ford, Renault, Dodge ...);
   - `MERCEDES_WMIS` below, our own table of Mercedes-Benz codes, which says whether a code is a
     van plant/market code, a passenger-car code, or a Sprinter sold under another brand.
   vininfo knows (as "Mercedes-Benz", "Mercedes-Benz (Sprinter)" or "Daimler AG (Sprinter)")
   W1 (as a two-letter prefix, so W1V, W1W, W1X, W1Y, W1Z, W1K, W1N), WDB, WDF, WCD, WD3, WD4,
   WD8, WDA, WDP, WDR, WDY, WDZ and VSA; it names WD0, WD2, WD5, WDW and WDX "Dodge" (Sprinters
   sold as Dodge in North America) and WDD/WDC "DaimlerChrysler AG/Daimler AG".
   tests/vehicles/test_vin.py checks these statements against the installed vininfo.
   Then the model series is read:
   - European structure (Mercedes-Benz for Europe): characters 4-9 are the six-digit type code
     ("Baumuster", e.g. 907633), 4-6 its model series (907), character 10 the steering side and
     11 the plant. This structure has no check digit and no model year: the model year stays
     unknown, and a North-American check-digit "mismatch" means nothing and never refuses a VIN.
   - North-American structure (vans built for the USA/Canada, e.g. W1Y..., WD3PE...): character 9
     is the SAE J853 check digit and character 10 the model year, which we decode with vininfo.
     A wrong check digit is reported as a warning (probably a typing error), not as a refusal.
   `MODEL_SERIES` maps the series to the model family (Sprinter, Vito, Citan ...). Series that
   exist only with a combustion engine give fuel "combustion". Series that carry both drives
   (447: Vito and eVito/EQV; 910 and, since 2023, 907: Sprinter and eSprinter; 420: Citan and
   eCitan/EQT) give "electric" only for the type codes listed in `ELECTRIC_TYPE_CODES`, and
   "unknown" otherwise: the drive is then set by hand and checked by the dealer with the
   registration document.

Sources
-------
- ISO 3779 / SAE J853 (VIN layout, forbidden letters, check digit, model-year letters), as
  implemented in vininfo (`vininfo.toolbox.Vin.validate`, `verify_checksum`, `years`).
- vininfo's WMI dictionary (`vininfo.dicts.wmi.WMI`) for the makers of all brands.
- Mercedes-Benz model series of the vans (public model designations: Sprinter T1N 901-905,
  NCV3 906, VS30 907/910; Vito 638, 639, 447; Citan 415, 420) and the European VIN layout
  (type code in characters 4-9, steering and plant after it), as documented by Mercedes-Benz
  workshop literature and summarised by owners' references (e.g. the W220 wiki's VIN page).
- NHTSA's VIN rules for the North-American structure (check digit, year in character 10).

Limits
------
- The electric type codes are a short working list, not an official one: a type code that is not
  listed decodes with fuel "unknown" in a mixed series instead of being guessed.
- Vans assembled under licence outside these plants, special bodies registered by a body builder
  under its own WMI, and series older than 1995 are not recognised and are refused as unknown.
- The European structure carries no model year: mpro leaves it empty rather than inventing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from vininfo import Vin
from vininfo.exceptions import ValidationError as VininfoValidationError

from mpro.errors import DomainError

VIN_LENGTH = 17
ALLOWED = re.compile(r"^[A-HJ-NPR-Z0-9]*$")
MAKE = "Mercedes-Benz"

# --- our own tables -----------------------------------------------------------------------------
VAN, CAR, OTHER_BRAND = "van", "car", "other_brand"

# Mercedes-Benz manufacturer codes (WMI): what kind of vehicle the code stands for.
MERCEDES_WMIS: dict[str, tuple[str, str]] = {
    # code: (kind, description)
    "W1V": (VAN, "Mercedes-Benz AG, vans (Germany and other plants, since 2019)"),
    "W1W": (VAN, "Mercedes-Benz AG, vans (Sprinter, North-American market)"),
    "W1X": (VAN, "Mercedes-Benz AG, Sprinter cab chassis (North-American market)"),
    "W1Y": (VAN, "Mercedes-Benz AG, Sprinter (North-American market)"),
    "W1Z": (VAN, "Mercedes-Benz AG, Sprinter crew van (North-American market)"),
    "WDB": (VAN, "Daimler-Benz / Daimler AG, Germany (vans and older passenger cars)"),
    "WDF": (VAN, "Daimler AG, vans built for markets outside North America"),
    "WD3": (VAN, "Daimler AG, Sprinter (North-American market)"),
    "WD4": (VAN, "Daimler AG, Sprinter and Metris (North-American market)"),
    "WD8": (VAN, "Daimler AG, vans (transporters)"),
    "WDA": (VAN, "Daimler AG, Sprinter"),
    "WDP": (VAN, "Daimler AG, Sprinter (North-American market)"),
    "WDR": (VAN, "Daimler AG, Sprinter (North-American market)"),
    "WDY": (VAN, "Daimler AG, Sprinter (North America, also sold as Freightliner)"),
    "WDZ": (VAN, "Daimler AG, Sprinter (North America, also sold as Freightliner)"),
    "WCD": (VAN, "Daimler AG, Sprinter (Freightliner/Mercedes-Benz, North America)"),
    "VSA": (VAN, "Mercedes-Benz España, Vitoria (Vito, V-Class, eVito)"),
    "W1K": (CAR, "Mercedes-Benz AG, passenger cars"),
    "W1N": (CAR, "Mercedes-Benz AG, SUVs"),
    "WDD": (CAR, "Daimler AG, passenger cars"),
    "WDC": (CAR, "Daimler AG, SUVs"),
    "4JG": (CAR, "Mercedes-Benz U.S. International, SUVs"),
    "55S": (CAR, "Mercedes-Benz, passenger cars built in the USA"),
    "WD0": (OTHER_BRAND, "Sprinter sold under the Dodge brand"),
    "WD2": (OTHER_BRAND, "Sprinter sold under the Dodge brand"),
    "WD5": (OTHER_BRAND, "Sprinter sold under the Dodge brand"),
    "WDW": (OTHER_BRAND, "Sprinter sold under the Dodge brand"),
    "WDX": (OTHER_BRAND, "Sprinter sold under the Dodge brand"),
}


@dataclass(frozen=True)
class Series:
    family: str  # the model family as customers name it
    fuel: str  # "combustion", "electric" or "mixed" (decided by ELECTRIC_TYPE_CODES)
    electric_family: str = ""  # the family name of the electric variant in a mixed series
    years: str = ""


# Keyed on the model series: characters 4-6 of a European-structure VIN.
MODEL_SERIES: dict[str, Series] = {
    "901": Series("Sprinter", "combustion", years="1995-2006"),
    "902": Series("Sprinter", "combustion", years="1995-2006"),
    "903": Series("Sprinter", "combustion", years="1995-2006"),
    "904": Series("Sprinter", "combustion", years="1995-2006"),
    "905": Series("Sprinter", "combustion", years="1995-2006"),
    "906": Series("Sprinter", "combustion", years="2006-2018"),
    "907": Series("Sprinter", "mixed", "eSprinter", years="2018-"),
    "910": Series("Sprinter", "mixed", "eSprinter", years="2018-"),
    "638": Series("Vito", "combustion", years="1996-2003"),
    "639": Series("Vito", "combustion", years="2003-2014"),
    "447": Series("Vito", "mixed", "eVito", years="2014-"),
    "415": Series("Citan", "combustion", years="2012-2021"),
    "420": Series("Citan", "mixed", "eCitan", years="2021-"),
}

# Type codes (characters 4-9) that mpro treats as battery-electric. A working list to confirm
# against the manufacturer's type data (see "Limits" above).
ELECTRIC_TYPE_CODES: dict[str, str] = {
    "447681": "eVito panel van, compact",
    "447683": "eVito panel van, long",
    "447685": "eVito panel van, extra long",
    "447881": "eVito Tourer / EQV, long",
    "447883": "eVito Tourer / EQV, extra long",
    "910671": "eSprinter panel van, first generation",
    "910673": "eSprinter panel van, first generation, high roof",
    "907681": "eSprinter panel van, second generation",
    "907683": "eSprinter panel van, second generation, long",
    "420181": "eCitan panel van",
    "420183": "eCitan panel van, long",
}

# North-American structure: the family from the WMI (Sprinter-only codes) or characters 4-5.
NORTH_AMERICAN_FAMILIES: dict[str, str] = {
    "W1W": "Sprinter",
    "W1X": "Sprinter",
    "W1Y": "Sprinter",
    "W1Z": "Sprinter",
    "WCD": "Sprinter",
    "PE": "Sprinter",
    "PF": "Sprinter",
    "PG": "Metris",  # the Vito (447) as sold in North America
}


@dataclass(frozen=True)
class VinInfo:
    vin: str
    wmi: str
    make: str
    manufacturer: str  # as vininfo names the WMI's owner
    model_family: str
    series: str
    type_code: str
    fuel: str  # a vehicles.models.Fuel value
    model_year: int | None
    structure: str  # "europe" or "north_america"
    country: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "vin": self.vin,
            "make": self.make,
            "model": self.model_family,
            "model_year": self.model_year,
            "fuel": self.fuel,
            "series": self.series,
            "manufacturer": self.manufacturer,
            "country": self.country,
            "warnings": list(self.warnings),
        }


def normalize_vin(raw) -> str:
    """Removes every white-space character and upper-cases the rest."""
    return re.sub(r"\s+", "", str(raw or "")).upper()


def _form_error(vin: str, *, partial: bool = False) -> str | None:
    """The first thing wrong with the VIN's form, or None. `partial`: the user is still typing,
    so a VIN shorter than 17 characters is not (yet) an error."""
    if not vin:
        return None if partial else _("Enter the 17-character VIN (see the registration document).")
    for position, char in enumerate(vin, start=1):
        if char in "IOQ":
            return _(
                "A VIN never contains the letters I, O or Q (too easily confused with 1 and 0): "
                "“%(char)s” at position %(position)d. Did you mean %(suggestion)s?"
            ) % {"char": char, "position": position, "suggestion": "0" if char in "OQ" else "1"}
        if not ALLOWED.match(char):
            return _(
                "A VIN holds only letters and digits: “%(char)s” at position %(position)d is not allowed."
            ) % {
                "char": char,
                "position": position,
            }
    if len(vin) > VIN_LENGTH or (len(vin) < VIN_LENGTH and not partial):
        return _("A VIN has 17 characters; this one has %(count)d.") % {"count": len(vin)}
    return None


def validate_vin(vin: str) -> None:
    """Raises DomainError(field="vin") when the (normalised) VIN is not of ISO 3779 form."""
    message = _form_error(vin)
    if message:
        raise DomainError(message, field="vin", code="vin_invalid")


def _model_year(vin_obj: Vin) -> int | None:
    # vininfo lists every year the letter can stand for (30-year cycle), newest first.
    this_year = date.today().year
    for year in vin_obj.years:
        if year <= this_year + 1:
            return year
    return None


def _refuse_unless_mercedes_van(vin: str, parsed: Vin) -> None:
    """The manufacturer code (WMI) must be one of Mercedes-Benz's van codes; says why not."""
    wmi = vin[:3]
    manufacturer = parsed.manufacturer
    known_to_vininfo = manufacturer != "UnsupportedBrand"
    kind, _description = MERCEDES_WMIS.get(wmi, (None, ""))
    mercedes_group = any(word in manufacturer.lower() for word in ("mercedes", "daimler"))
    if kind == OTHER_BRAND or (kind is None and known_to_vininfo and not mercedes_group):
        maker = manufacturer if known_to_vininfo else wmi
        raise DomainError(
            _(
                "This VIN belongs to a %(maker)s vehicle (manufacturer code %(wmi)s). mpro serves "
                "Mercedes-Benz vans only."
            )
            % {"maker": maker, "wmi": wmi},
            field="vin",
            code="vin_not_mercedes",
        )
    if kind is None and not known_to_vininfo:
        raise DomainError(
            _(
                "The manufacturer code %(wmi)s (the first three characters) is unknown. Please check "
                "the VIN on the registration document."
            )
            % {"wmi": wmi},
            field="vin",
            code="vin_unknown_manufacturer",
        )
    if kind == CAR:
        raise DomainError(
            _(
                "This VIN belongs to a Mercedes-Benz passenger car (code %(wmi)s), not a van. Only "
                "Mercedes-Benz vans can use mpro."
            )
            % {"wmi": wmi},
            field="vin",
            code="vin_not_van",
        )
    if kind is None:
        # vininfo says Mercedes-Benz, but the code is none of the van codes we know.
        raise DomainError(
            _(
                "The Mercedes-Benz manufacturer code %(wmi)s is not one of the van codes mpro knows. "
                "Please check the VIN, or ask your dealer."
            )
            % {"wmi": wmi},
            field="vin",
            code="vin_unknown_manufacturer",
        )


def _decode_europe(vin: str, parsed: Vin) -> VinInfo:
    """A European VIN: the model series is in characters 4–6, the type code in 4–9."""
    type_code = vin[3:9]
    series_code = type_code[:3]
    series = MODEL_SERIES.get(series_code)
    if series is None:
        raise DomainError(
            _(
                "Model series %(series)s is not a Mercedes-Benz van mpro supports (Sprinter, Vito, "
                "Citan and their electric versions)."
            )
            % {"series": series_code},
            field="vin",
            code="vin_not_van",
        )
    family, fuel = series.family, series.fuel
    if fuel == "mixed":
        if type_code in ELECTRIC_TYPE_CODES:
            family, fuel = series.electric_family, "electric"
        else:
            fuel = "unknown"
    return VinInfo(
        vin=vin,
        wmi=vin[:3],
        make=MAKE,
        manufacturer=parsed.manufacturer,
        model_family=family,
        series=series_code,
        type_code=type_code,
        fuel=fuel,
        model_year=None,
        structure="europe",
        country=parsed.country or "",
    )


def _decode_north_america(vin: str, parsed: Vin) -> VinInfo:
    """A North-American VIN: the family from the WMI or characters 4–5, a check digit, a year."""
    wmi = vin[:3]
    warnings: list[str] = []
    family = NORTH_AMERICAN_FAMILIES.get(wmi) or NORTH_AMERICAN_FAMILIES.get(vin[3:5])
    if family is None:
        raise DomainError(
            _(
                "This Mercedes-Benz VIN does not describe a van model mpro knows. Please check the VIN, "
                "or ask your dealer."
            ),
            field="vin",
            code="vin_not_van",
        )
    if not parsed.verify_checksum(check_year=False):
        warnings.append(
            _(
                "The check digit (9th character) does not match: please compare the VIN with the "
                "registration document."
            )
        )
    return VinInfo(
        vin=vin,
        wmi=wmi,
        make=MAKE,
        manufacturer=parsed.manufacturer,
        model_family=family,
        series="",
        type_code=vin[3:8],
        fuel="unknown",
        model_year=_model_year(parsed),
        structure="north_america",
        country=parsed.country or "",
        warnings=tuple(warnings),
    )


def decode_vin(vin: str) -> VinInfo:
    """Decodes a VIN and checks that it is an eligible Mercedes-Benz van.

    Accepts raw input (normalises it first). Raises DomainError(field="vin") with a message
    saying why when the VIN is malformed, not a Mercedes-Benz, not a van, or unknown."""
    vin = normalize_vin(vin)
    validate_vin(vin)
    try:
        parsed = Vin(vin)
    except VininfoValidationError:  # pragma: no cover - validate_vin applies the same rules
        raise DomainError(_("This is not a valid VIN."), field="vin", code="vin_invalid") from None
    _refuse_unless_mercedes_van(vin, parsed)
    if vin[3:9].isdigit():
        return _decode_europe(vin, parsed)
    return _decode_north_america(vin, parsed)


@dataclass(frozen=True)
class VinCheck:
    """What the add-vehicle form says while the user types."""

    vin: str
    state: str  # "empty", "incomplete", "invalid", "ok"
    message: str = ""
    info: VinInfo | None = None


def check_vin(raw) -> VinCheck:
    vin = normalize_vin(raw)
    if not vin:
        return VinCheck(vin, "empty")
    message = _form_error(vin, partial=True)
    if message:
        return VinCheck(vin, "invalid", message)
    if len(vin) < VIN_LENGTH:
        return VinCheck(
            vin,
            "incomplete",
            ngettext("%(count)d of 17 characters.", "%(count)d of 17 characters.", len(vin))
            % {"count": len(vin)},
        )
    try:
        info = decode_vin(vin)
    except DomainError as err:
        return VinCheck(vin, "invalid", str(err.message))
    return VinCheck(vin, "ok", "", info)
