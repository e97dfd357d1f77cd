"""mpro.api.ModelSerializer: DRF's fields, built once per class and language, a fresh copy each time."""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework import serializers

import mpro.urls  # noqa: F401  (imports every API module, so every serializer class exists)
from companies.api import CompanySerializer, MemberSerializer
from companies.models import Company
from mpro.api import ModelSerializer
from packs.api import SubscriptionSerializer
from retail.api.serializers import RetailCompanySerializer
from vehicles.api import DealerSerializer, VehicleSerializer

CASES = [
    CompanySerializer,
    MemberSerializer,
    SubscriptionSerializer,
    VehicleSerializer,
    RetailCompanySerializer,
]


def _drf_build(serializer) -> dict[str, str]:
    return {name: repr(field) for name, field in serializers.ModelSerializer.get_fields(serializer).items()}


@pytest.mark.parametrize("serializer_class", CASES)
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_fields_are_drfs_own_in_every_language(serializer_class, language):
    with translation.override(language):
        for _ in range(2):  # the first build and the kept one
            serializer = serializer_class()
            assert {name: repr(field) for name, field in serializer.get_fields().items()} == _drf_build(
                serializer
            )


def test_labels_follow_the_language_the_fields_are_read_in():
    with translation.override("en"):
        english = str(CompanySerializer().fields["city"].label)
    with translation.override("de"):
        german = str(CompanySerializer().fields["city"].label)
        assert german == str(serializers.ModelSerializer.get_fields(CompanySerializer())["city"].label)
    assert english == "City"
    assert german != english


def test_each_serializer_gets_fields_of_its_own():
    first, second = CompanySerializer(), CompanySerializer(data={"name": "x"})
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first
    assert second.fields["name"].parent is second
    first.fields["name"].required = False
    assert CompanySerializer().fields["name"].required is True
    assert not second.is_valid()
    assert "street" in second.errors


def _subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_serializer_on_a_model_keeps_its_fields():
    ours = {
        cls for cls in _subclasses(serializers.ModelSerializer) if cls.__module__.split(".")[0] in _apps()
    }
    assert VehicleSerializer in ours
    assert {cls.__qualname__ for cls in ours if not issubclass(cls, ModelSerializer)} == set()


def _apps() -> set[str]:
    from django.apps import apps

    return {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if not config.path.count("site-packages")
    }


class _Nested(ModelSerializer):
    """Declared fields that hold fields: a list's child, a nested serializer."""

    codes = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    dealer = DealerSerializer(source="default_workshop", required=False)

    class Meta:
        model = Company
        fields = ["name", "codes", "dealer"]


def test_fields_that_hold_fields_are_copied_whole():
    first, second = _Nested(), _Nested(data={"name": "ACME", "codes": ["abcd"]})
    for name, inner in (("codes", "child"), ("dealer", None)):
        ours, theirs = first.fields[name], second.fields[name]
        assert ours is not theirs
        if inner:
            assert getattr(ours, inner) is not getattr(theirs, inner)
            assert getattr(theirs, inner).parent is theirs
    assert first.fields["dealer"].fields["name"] is not second.fields["dealer"].fields["name"]
    assert first.fields["dealer"].fields["name"].root is first
    assert not second.is_valid()
    assert "codes" in second.errors
