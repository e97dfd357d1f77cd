"""Forms of the Retail site. They check the shape of the input (lengths, choices); the rules
live in retail.services and retail.selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Country
from users.models import IdentityMode

from .services import REASON_MAX_LENGTH, SUPPORT_PASSWORD_MAX_LENGTH

# What the staff member confirms before a company opens to them (same meaning as the dealer
# training deck's statement, in our own words).
ATTESTATION_STATEMENT = _(
    "Before acting on the request of this customer's employee, I checked who they are: I saw a valid "
    "identity document with their photo (identity card or passport, as national law accepts it), or "
    "I know them personally. I will also check that they are listed in the company's account before "
    "I let them use the rights it gives them."
)


class LoginForm(forms.Form):
    d5_id = forms.CharField(
        label=_("Dealer ID"),
        max_length=20,
        help_text=_("Your D5 dealer ID, for example D5AB1234."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProIdSearchForm(forms.Form):
    pro_id = forms.CharField(
        label=_("PRO ID of the company"),
        max_length=20,
        help_text=_("PRO- and six letters; PRO- may be left out."),
        widget=forms.TextInput(attrs={"placeholder": "PRO-XXXXXX", "data-upper": "1", "autocomplete": "off"}),
    )


class NetworkVinSearchForm(forms.Form):
    """The header's "find a vehicle": a whole VIN, across every company."""

    vin = forms.CharField(
        label=_("VIN"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": "WDB…", "data-upper": "1", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class PlaceSearchForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)


class AttestationForm(forms.Form):
    identity_checked = forms.BooleanField(
        label=ATTESTATION_STATEMENT,
        required=True,
        error_messages={"required": _("Tick the box to confirm that you checked the person's identity.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("The customer reads this: say what is wrong and what to correct."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MemberVerifyForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How did you check the identity?"),
        choices=IdentityMode.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the three ways of checking the identity.")},
    )


class VinSearchForm(forms.Form):
    vin = forms.CharField(
        label=_("VIN"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"data-upper": "1", "placeholder": "W1V…", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Verification"),
        required=False,
        choices=[
            ("", _("All")),
            ("unverified", _("Not verified")),
            ("verified", _("Verified")),
            ("rejected", _("Rejected")),
        ],
    )


class TransferForm(forms.Form):
    vin = forms.CharField(
        label=_("VIN"),
        max_length=40,
        widget=forms.TextInput(attrs={"data-upper": "1", "autocomplete": "off"}),
    )
    registration_checked = forms.BooleanField(
        label=_("I checked the vehicle's registration document: it names this customer."),
        required=True,
        error_messages={"required": _("Confirm that the registration document names this customer.")},
    )


class SupportPasswordForm(forms.Form):
    support_password = forms.CharField(
        label=_("Support password"),
        max_length=SUPPORT_PASSWORD_MAX_LENGTH,
        strip=False,
        help_text=_("The customer's administrator tells you their personal support password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )


class VehicleAddForm(forms.Form):
    vin = forms.CharField(
        label=_("VIN"),
        max_length=40,
        widget=forms.TextInput(attrs={"data-upper": "1", "autocomplete": "off"}),
    )
    licence_plate = forms.CharField(label=_("Licence plate"), max_length=15, required=False)
    nickname = forms.CharField(label=_("Nickname"), max_length=60, required=False)


class OrderForm(forms.Form):
    pack = forms.ChoiceField(label=_("Pack"))
    vehicles = forms.MultipleChoiceField(
        label=_("Vehicles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    more_vins = forms.CharField(
        label=_("More VINs"),
        required=False,
        max_length=20000,
        help_text=_("Paste VINs of this fleet, one per line, for vehicles not listed above."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, packs=(), vehicles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].choices = [("", _("Choose a pack"))] + list(packs)
        self.fields["vehicles"].choices = list(vehicles)

    def vins(self) -> list[str]:
        vins = list(self.cleaned_data.get("vehicles") or [])
        for line in (self.cleaned_data.get("more_vins") or "").replace(",", "\n").splitlines():
            if line.strip():
                vins.append(line.strip())
        return vins


class RegistrationAdminForm(forms.Form):
    """Step 1: the company's main user (its first administrator)."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class RegistrationCompanyForm(forms.Form):
    """Step 2: the company."""

    name = forms.CharField(label=_("Company name"), max_length=200)
    manager_name = forms.CharField(label=_("Manager name"), max_length=200)
    street = forms.CharField(label=_("Street"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    email = forms.EmailField(label=_("Company e-mail"), max_length=254)
    phone = forms.CharField(label=_("Company phone"), max_length=20)
    vat_number = forms.CharField(label=_("VAT number"), max_length=20, required=False)
