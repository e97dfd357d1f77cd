from django import forms
from django.utils.translation import gettext_lazy as _

from mpro.errors import DomainError
from mpro.forms import show_error
from users.models import LicenceCategory, User

from . import timezones
from .audit import ACTION_GROUPS, Actor
from .models import Company, Country, Role
from .services import COMPANY_FIELDS, support_password_set, support_password_set_at_registration


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    """Step 1 of the registration and the profile page: the person."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "birth_date", "phone", "mobile", "licence_category"]
        widgets = {
            "birth_date": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "mobile": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {
            "birth_date": _("The dealer compares it with your ID document when verifying you."),
            "phone": _("With country code, for example +45 12 34 56 78."),
        }

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if required:
            for name in ("first_name", "last_name", "birth_date", "phone"):
                self.fields[name].required = True
        self.fields["licence_category"].choices = LicenceCategory.choices

    def _post_clean(self):
        # Rules (age, phone formats) are checked by the service, not by the model form.
        pass


class ProfileForm(PersonForm):
    class Meta(PersonForm.Meta):
        fields = [*PersonForm.Meta.fields, "language"]


class CompanyForm(forms.ModelForm):
    """Step 2 of the registration and the company page."""

    class Meta:
        model = Company
        fields = list(COMPANY_FIELDS)
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"})}
        help_texts = {
            "name": _("Exactly as on your registration documents: the dealer searches for it."),
            "vat_number": _("Optional, with the country prefix (for example DK12345678)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *Country.choices]
        if self.instance.pk:
            # The country is fixed once the company is registered.
            self.fields["country"].disabled = True
            self.fields["country"].help_text = _("The country cannot be changed after registration.")

    def _post_clean(self):
        pass


class CompanyEditForm(CompanyForm):
    """The company page's form: the registration's fields plus the time zone pages show times in."""

    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    class Meta(CompanyForm.Meta):
        fields = [*COMPANY_FIELDS, "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country_zone = timezones.for_country(self.instance.country)
        self.fields["time_zone"].choices = [
            ("", _("The country's time (%(zone)s)") % {"zone": country_zone}),
            *timezones.choices(),
        ]
        self.fields["time_zone"].help_text = _(
            "Times on the portal and in the activity log are shown in this zone."
        )


class ActivityFilterForm(forms.Form):
    """Activity's filters: who acted, what kind of action, which van."""

    who = forms.ChoiceField(label=_("Who"), required=False)
    what = forms.ChoiceField(label=_("What"), required=False)
    vin = forms.CharField(label=_("Van (VIN)"), required=False, max_length=17)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = [(f"u{m.user_id}", m.user.get_full_name() or m.user.email) for m in members]
        self.fields["who"].choices = [
            ("", _("Everyone")),
            *people,
            ("dealer_staff", _("Dealer staff")),
            ("system", _("Automatic (mpro)")),
        ]
        self.fields["what"].choices = [("", _("Everything")), *((k, v[0]) for k, v in ACTION_GROUPS.items())]


class RegisterCompanyForm(CompanyForm):
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the service pack terms."),
        required=True,
        error_messages={"required": _("Accept the terms of use and the service pack terms to register.")},
    )


class SupportPasswordForm(forms.Form):
    support_password = forms.CharField(
        label=_("Support password"), widget=forms.PasswordInput, max_length=128, min_length=6
    )
    support_password2 = forms.CharField(
        label=_("Support password (again)"), widget=forms.PasswordInput, max_length=128
    )

    def clean(self):
        data = super().clean()
        if data.get("support_password") and data.get("support_password") != data.get("support_password2"):
            self.add_error("support_password2", _("The two support passwords do not match."))
        return data

    def save(self, *, user, at_registration: bool = False) -> bool:
        """Sets the support password through the service; False (with the errors shown) if refused.
        The account page is behind re-authentication; the registration step sets it only once."""
        if not self.is_valid():
            return False
        value, actor = self.cleaned_data["support_password"], Actor.customer(user)
        try:
            if at_registration:
                support_password_set_at_registration(user=user, support_password=value, actor=actor)
            else:
                support_password_set(user=user, support_password=value, actor=actor, reauthenticated=True)
        except DomainError as error:
            show_error(self, error)
            return False
        return True


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, roles: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:  # the roles the inviting person manages (permissions.MANAGED_ROLES)
            self.fields["role"].choices = [c for c in Role.choices if c[0] in roles]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, required=False)
    password2 = forms.CharField(label=_("Password (again)"), widget=forms.PasswordInput, required=False)
    support_password = forms.CharField(
        label=_("Support password"),
        widget=forms.PasswordInput,
        required=False,
        max_length=128,
        help_text=_("A second, personal password you tell your dealer when they should act on your account."),
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of use."), required=False)
    accept_pack_terms = forms.BooleanField(label=_("I accept the service pack terms."), required=False)

    def __init__(self, *args, needs: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = needs
        if not needs["password"]:
            del self.fields["password1"], self.fields["password2"]
        else:
            self.fields["password1"].required = self.fields["password2"].required = True
        if not needs["support_password"]:
            del self.fields["support_password"]
        else:
            self.fields["support_password"].required = True
        if not needs["pack_terms"]:
            del self.fields["accept_pack_terms"]

    def clean(self):
        data = super().clean()
        if self.needs["password"] and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example “fleet report script”."),
    )
