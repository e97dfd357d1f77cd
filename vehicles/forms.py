from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mpro.errors import DomainError

from .models import Fuel
from .services import workshop_by_code


class VehicleAddForm(forms.Form):
    vin = forms.CharField(
        label=_("VIN"),
        max_length=40,
        help_text=_("17 characters, on the registration document and at the bottom of the windscreen."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "vin",
            }
        ),
    )
    licence_plate = forms.CharField(label=_("Licence plate"), max_length=40, required=False)
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=100,
        required=False,
        help_text=_("A name your team knows the van by, e.g. “Van 3 – Aarhus”."),
    )


class VehicleEditForm(forms.Form):
    licence_plate = forms.CharField(label=_("Licence plate"), max_length=40, required=False)
    nickname = forms.CharField(label=_("Nickname"), max_length=100, required=False)
    fuel = forms.ChoiceField(
        label=_("Drive"),
        choices=[(Fuel.COMBUSTION, Fuel.COMBUSTION.label), (Fuel.ELECTRIC, Fuel.ELECTRIC.label)],
        required=False,
        help_text=_(
            "The VIN does not show whether this van is electric or combustion: choose which. The dealer checks it."
        ),
    )

    def __init__(self, *args, fuel_editable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not fuel_editable:
            del self.fields["fuel"]


class DriverForm(forms.Form):
    member = forms.ChoiceField(label=_("Driver"))

    def __init__(self, *args, drivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a driver"))]
        for membership in drivers:
            user = membership.user
            label = user.get_full_name() or user.email
            current = getattr(user, "driven_vehicle", None)
            if current is not None:
                label = _("%(name)s (drives %(van)s)") % {"name": label, "van": current}
            choices.append((str(membership.pk), label))
        self.fields["member"].choices = choices


class WorkshopChoiceForm(forms.Form):
    dealer_code = forms.CharField(required=False, max_length=20)

    def clean_dealer_code(self):
        try:
            return workshop_by_code(self.cleaned_data["dealer_code"])
        except DomainError as err:
            raise forms.ValidationError(err.message, code=err.code) from None


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row and show the outcome, without creating anything"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Columns vin,licence_plate,nickname with that header line; comma or semicolon; UTF-8. "
            "At most %(mb)s MB."
        ) % {"mb": f"{settings.VEHICLE_IMPORT_MAX_BYTES / (1024 * 1024):g}"}
