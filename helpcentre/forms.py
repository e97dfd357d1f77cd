from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Country


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the help centre"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. support password")}),
    )


class CountryForm(forms.Form):
    country = forms.ChoiceField(label=_("Prices for"), choices=Country.choices, required=False)


class DealerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, postal code or city"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("All countries")), *Country.choices], required=False
    )
