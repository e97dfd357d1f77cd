from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX, Category

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[c for c in Category.choices if c[0] != Category.UNCLASSIFIED]
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=TEXT_MAX)
    business_partner = forms.CharField(label=_("Business partner"), required=False, max_length=TEXT_MAX)


class TripFilterForm(forms.Form):
    vehicle = forms.ChoiceField(label=_("Van"), required=False)
    driver = forms.ChoiceField(label=_("Driver"), required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )

    def __init__(self, *args, vans=(), drivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].choices = [("", _("All vans"))] + [
            (v.vin, v.nickname or v.licence_plate or v.vin) for v in vans
        ]
        self.fields["driver"].choices = [("", _("All drivers"))] + [
            (str(m.pk), m.user.get_full_name() or m.user.email) for m in drivers
        ]


class LogbookExportForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("pdf", "PDF")])


class LogbookVerifyForm(forms.Form):
    file = forms.FileField(label=_("Logbook CSV file"))


class WorkingHoursForm(forms.Form):
    def __init__(self, *args, days=None, **kwargs):
        super().__init__(*args, **kwargs)
        for index, label in enumerate(WEEKDAYS):
            day = (days or [None] * 7)[index]
            self.fields[f"start_{index}"] = forms.TimeField(
                label=label,
                required=False,
                initial=day[0] if day else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"end_{index}"] = forms.TimeField(
                label=label,
                required=False,
                initial=day[1] if day else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def rows(self):
        return [(label, self[f"start_{i}"], self[f"end_{i}"]) for i, label in enumerate(WEEKDAYS)]

    def days(self) -> list:
        days = []
        for index in range(7):
            start, end = self.cleaned_data.get(f"start_{index}"), self.cleaned_data.get(f"end_{index}")
            if start is None and end is None:
                days.append(None)
            else:
                days.append([start.strftime("%H:%M") if start else "", end.strftime("%H:%M") if end else ""])
        return days
