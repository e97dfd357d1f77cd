from django import forms
from django.utils.translation import gettext_lazy as _

from .services import WEBHOOK_EVENTS

SCOPE_CHOICES = [
    ("vehicles:read", _("List the vans that have the data interface")),
    ("signals:read", _("Read the vans' signals")),
]


class DataClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which software uses it, for example “telematics dashboard”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Allowed"),
        choices=SCOPE_CHOICES,
        initial=[code for code, _label in SCOPE_CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A public https address of your server. We send each event there as a signed POST."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=[(e, e) for e in WEBHOOK_EVENTS], widget=forms.CheckboxSelectMultiple
    )
