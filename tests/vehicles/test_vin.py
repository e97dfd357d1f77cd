import pytest
from vininfo import Vin

from mpro.errors import DomainError
from vehicles.vin import MERCEDES_WMIS, VAN, check_vin, decode_vin, normalize_vin, validate_vin

from .conftest import vin


def refusal(raw: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        decode_vin(raw)
    assert caught.value.field == "vin"
    return caught.value


def test_it_normalises_spaces_and_case():
    assert normalize_vin(" w1v 907 6331p\t000123 \n") == "W1V9076331P000123"
    assert normalize_vin(None) == ""


def test_it_decodes_the_test_factory_vins_as_sprinters():
    info = decode_vin("W1V9076331P000123")
    assert (info.make, info.model_family, info.series, info.structure) == (
        "Mercedes-Benz",
        "Sprinter",
        "907",
        "europe",
    )
    assert info.model_year is None  # the European structure carries no model year


def test_it_accepts_lower_case_and_spaces():
    assert decode_vin("w1v 9076331p 000123").vin == "W1V9076331P000123"


@pytest.mark.parametrize("raw, count", [("W1V9076331P00012", 16), ("W1V9076331P0001234", 18)])
def test_it_refuses_wrong_lengths_with_the_count(raw, count):
    assert f"this one has {count}" in str(refusal(raw).message)


@pytest.mark.parametrize("letter, position", [("I", 4), ("O", 5), ("Q", 17)])
def test_it_refuses_i_o_q_and_says_where(letter, position):
    chars = list("W1V9076331P000123")
    chars[position - 1] = letter
    message = str(refusal("".join(chars)).message)
    assert f"“{letter}” at position {position}" in message


def test_it_refuses_punctuation():
    assert "“-” at position 4" in str(refusal("W1V-076331P000123").message)


def test_it_refuses_other_makes_naming_them():
    error = refusal("WF0XXXTTGXKA12345")
    assert error.code == "vin_not_mercedes"
    assert "Ford" in str(error.message)
    assert "Renault" in str(refusal("VF1FL000123456789").message)


def test_it_refuses_sprinters_sold_under_the_dodge_brand():
    error = refusal("WD0PE745XC5123456")
    assert error.code == "vin_not_mercedes"
    assert "Dodge" in str(error.message)


def test_it_refuses_unknown_manufacturer_codes():
    error = refusal("ZZZ9076331P000123")
    assert error.code == "vin_unknown_manufacturer"
    assert "ZZZ" in str(error.message)


def test_it_refuses_mercedes_passenger_cars():
    assert refusal("W1K2050041F123456").code == "vin_not_van"
    assert refusal("WDD2040081A123456").code == "vin_not_van"


def test_it_refuses_a_series_that_is_not_a_van():
    error = refusal("W1V2110041F123456")
    assert error.code == "vin_not_van"
    assert "211" in str(error.message)


@pytest.mark.parametrize(
    "raw, family, fuel",
    [
        ("WDB9066331S123456", "Sprinter", "combustion"),
        ("W1V9106331P123456", "Sprinter", "unknown"),
        ("W1V9106731P123456", "eSprinter", "electric"),
        ("WDF6396011U123456", "Vito", "combustion"),
        ("VSA44770313123456", "Vito", "unknown"),
        ("VSA44768313123456", "eVito", "electric"),
        ("WDF4157031U123456", "Citan", "combustion"),
        ("W1V4201811U123456", "eCitan", "electric"),
    ],
)
def test_it_decodes_model_family_and_drive(raw, family, fuel):
    info = decode_vin(raw)
    assert (info.model_family, info.fuel) == (family, fuel)


def test_it_never_refuses_a_european_vin_for_its_check_digit():
    # Character 9 of these VINs is part of the type code; the SAE check digit does not apply.
    raw = "W1V9076331P000123"
    assert Vin(raw).verify_checksum() is False
    assert decode_vin(raw).warnings == ()


def test_it_reads_the_model_year_of_north_american_vins():
    info = decode_vin("WDZPE7CC2B5608980")  # valid check digit, year letter B
    assert (info.structure, info.model_family, info.model_year, info.warnings) == (
        "north_america",
        "Sprinter",
        2011,
        (),
    )


def test_it_only_warns_when_a_north_american_check_digit_is_wrong():
    info = decode_vin("WDZPE7CC3B5608980")
    assert info.model_family == "Sprinter"
    assert len(info.warnings) == 1


def test_it_documents_truthfully_which_codes_vininfo_knows():
    # The module docstring says vininfo names these WMIs as Mercedes-Benz / Daimler vans.
    for wmi in ("W1V", "W1W", "W1Y", "WDB", "WDF", "WCD", "WD3", "WD4", "WDP", "WDZ", "VSA"):
        manufacturer = Vin(f"{wmi}9076331P000123").manufacturer
        assert "mercedes" in manufacturer.lower() or "daimler" in manufacturer.lower(), wmi
    for wmi in ("WD0", "WD2", "WD5", "WDW", "WDX"):
        assert Vin(f"{wmi}9076331P000123").manufacturer == "Dodge"
    assert Vin("ZZZ9076331P000123").manufacturer == "UnsupportedBrand"


def test_it_decodes_every_van_code_of_our_table():
    for wmi, (kind, _description) in MERCEDES_WMIS.items():
        if kind == VAN:
            assert decode_vin(f"{wmi}9076331P000123").model_family == "Sprinter"


def test_it_validates_form_only():
    validate_vin("W1V9076331P000123")
    with pytest.raises(DomainError):
        validate_vin("")


def test_it_checks_partial_input_as_the_user_types():
    assert check_vin("").state == "empty"
    assert check_vin("w1v 90").state == "incomplete"
    assert check_vin("W1V9O").state == "invalid"
    ok = check_vin("W1V9076331P000123")
    assert ok.state == "ok" and ok.info.model_family == "Sprinter"
    assert check_vin("WF0XXXTTGXKA12345").state == "invalid"
    assert check_vin(vin(1) + "9").state == "invalid"
