"""mpro.api.ModelSerializer: DRF's fields, built once per class and language, a fresh copy each time."""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework import serializers

import mpro.urls  # noqa: F401  (imports every API module, so every serializer class exists)
from companies.api import CompanySerializer, MemberSerializer
from mpro.api import ModelSerializer
from packs.api import SubscriptionSerializer
from retail.api.serializers import RetailCompanySerializer
from vehicles.api import VehicleSerializer

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
