"""FilterSets shared by the fleet overview page and the API (GET /vehicles, GET /dealers)."""

import django_filters
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from companies.models import Country, Dealer
from users.models import VerificationStatus

from .models import Fuel, Vehicle
from .selectors import search_q


class VehicleFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    verification_status = django_filters.ChoiceFilter(
        label=_("Verification"), choices=VerificationStatus.choices, empty_label=_("Any")
    )
    fuel = django_filters.ChoiceFilter(label=_("Fuel"), choices=Fuel.choices, empty_label=_("Any"))
    driver = django_filters.ChoiceFilter(
        label=_("Driver"),
        choices=[("yes", _("With a driver")), ("no", _("Without a driver"))],
        empty_label=_("Any"),
        method="filter_driver",
    )

    class Meta:
        model = Vehicle
        fields = ["search", "verification_status", "fuel", "driver"]

    def __init__(self, *args, columns=(), **kwargs):
        """`columns`: the fleet overview's columns of higher apps (vehicles.panels), whose
        filters join the page's form."""
        super().__init__(*args, **kwargs)
        for column in columns:
            if column.apply_filter is not None:
                self.filters[column.key] = django_filters.ChoiceFilter(
                    label=column.filter_label,
                    choices=column.filter_choices,
                    empty_label=_("Any"),
                    method=lambda queryset, name, value, apply=column.apply_filter: apply(queryset, value),
                )

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value)) if value.strip() else queryset

    def filter_driver(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(driver__isnull=False)
        if value == "no":
            return queryset.filter(driver__isnull=True)
        return queryset


class DealerFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Name, postal code or city"), method="filter_search")
    postal_code = django_filters.CharFilter(label=_("Postal code"), method="filter_postal_code")
    city = django_filters.CharFilter(label=_("City"), method="filter_city")
    country = django_filters.ChoiceFilter(label=_("Country"), choices=Country.choices, empty_label=_("Any"))

    class Meta:
        model = Dealer
        fields = ["search", "postal_code", "city", "country"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(postal_code__startswith=value.upper()) | Q(city__icontains=value)
        )

    def filter_postal_code(self, queryset, name, value):
        # Postal codes are stored in upper case (SW1A 1AA); people type them either way.
        value = value.strip().upper()
        return queryset.filter(postal_code__startswith=value) if value else queryset

    def filter_city(self, queryset, name, value):
        value = value.strip()
        # Upper(city) = UPPER(value) matches the dealer_city_upper_idx index.
        return (
            queryset.annotate(city_upper=Upper("city")).filter(city_upper=value.upper())
            if value
            else queryset
        )
