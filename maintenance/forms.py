from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NOTE_MAX


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    message = forms.CharField(label=_("Message to the workshop"), required=False, max_length=NOTE_MAX)


class SettingsForm(forms.Form):
    inform_workshop = forms.BooleanField(
        label=_("Inform the workshop automatically when a van's service comes due"), required=False
    )


class ProposeForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(
        label=_("Note for the customer"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ServiceRecordForm(forms.Form):
    performed_on = forms.DateField(label=_("Performed on"), widget=forms.DateInput(attrs={"type": "date"}))
    odometer_km = forms.IntegerField(label=_("Odometer (km)"), min_value=0, max_value=5_000_000)
