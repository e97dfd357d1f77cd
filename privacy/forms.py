from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is erased for good and cannot be restored."), required=True
    )


class CloseCompanyForm(forms.Form):
    confirm_pro_id = forms.CharField(label=_("Type the company's PRO ID to confirm"), max_length=20)
