from django import forms
from django.utils.translation import gettext_lazy as _

from users.models import VerificationStatus
from vehicles.models import Fuel
from vehicles.vin import normalize_vin

from .services import MAX_ORDER_VEHICLES


class VehicleFilterForm(forms.Form):
    search = forms.CharField(label=_("VIN, plate or nickname"), required=False, max_length=60)
    verification = forms.ChoiceField(
        label=_("Verification"), required=False, choices=[("", _("All"))] + list(VerificationStatus.choices)
    )
    fuel = forms.ChoiceField(label=_("Fuel"), required=False, choices=[("", _("All"))] + list(Fuel.choices))
    model = forms.CharField(label=_("Model"), required=False, max_length=60)


class OrderForm(forms.Form):
    """The vehicles chosen (ticked rows `vin`, or pasted in `vins`) and the pack terms. The rules on
    the list (not empty, not too long, the company's vans) are order_quote's, shared with the API."""

    vins_text = forms.CharField(
        label=_("Or paste VINs, one per line"),
        required=False,
        max_length=MAX_ORDER_VEHICLES * 19,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vin"}),
    )
    accept_terms = forms.BooleanField(label=_("I accept the service pack terms."), required=False)

    def __init__(self, *args, needs_terms: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_terms = needs_terms

    def vins(self) -> list[str]:
        ticked = self.data.getlist("vin") if hasattr(self.data, "getlist") else []
        pasted = (self.cleaned_data.get("vins_text") or "").replace(",", "\n").replace(";", "\n").split()
        seen, result = set(), []
        for raw in [*ticked, *pasted]:
            vin = normalize_vin(raw)
            if vin and vin not in seen:
                seen.add(vin)
                result.append(vin)
        return result
