"""The portal's form to send a job, and the list's filters. Lengths and times are checked by
jobs.services (the one place of those rules); the form only parses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ADDRESS_MAX, NOTES_MAX, TITLE_MAX, JobStatus


class JobSendForm(forms.Form):
    driver = forms.ChoiceField(label=_("Driver"), required=False)
    vehicle = forms.ChoiceField(
        label=_("…or the driver of this van"),
        required=False,
        help_text=_("The job goes to whoever drives it now."),
    )
    title = forms.CharField(label=_("Title"), widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX})
    )
    destination = forms.CharField(
        label=_("Destination (address)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": ADDRESS_MAX}),
    )
    destination_lat = forms.FloatField(label=_("Latitude"), required=False)
    destination_lon = forms.FloatField(label=_("Longitude"), required=False)
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, drivers, vehicles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].choices = [("", "–")] + [
            (str(m.pk), m.user.get_full_name() or m.user.email) for m in drivers
        ]
        self.fields["vehicle"].choices = [("", "–")] + [
            (
                v.vin,
                f"{v.nickname or v.licence_plate or v.vin} ({v.driver.get_full_name() or v.driver.email})",
            )
            for v in vehicles
        ]


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    driver = forms.ChoiceField(label=_("Driver"), required=False)

    def __init__(self, *args, drivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Every status")), *JobStatus.choices]
        self.fields["driver"].choices = [("", _("Every driver"))] + [
            (str(m.pk), m.user.get_full_name() or m.user.email) for m in drivers
        ]
