"""mpro.renderers.JSONRenderer writes the bytes DRF's JSONRenderer writes, faster."""

import datetime
import decimal
import json
import uuid
from collections import OrderedDict

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from mpro.renderers import JSONRenderer

SAMPLES = [
    {"results": [{"id": 1, "vin": "WDB9066331S123456", "stale": False, "fuel_percent": 55.5}], "next": None},
    {"amount": decimal.Decimal("1188.00"), "at": datetime.datetime(2026, 11, 24, 6, 30, 1, 123456)},
    {
        "aware": datetime.datetime(2026, 11, 24, 6, 30, tzinfo=datetime.UTC),
        "day": datetime.date(2026, 11, 24),
    },
    {"time": datetime.time(8, 15), "span": datetime.timedelta(hours=2), "id": uuid.UUID(int=7)},
    {"detail": gettext_lazy("Not found."), "text": 'Ærø Købstad – \u2028 and \u2029, "quoted" <b>'},
    ReturnDict(OrderedDict(b=1, a=[1, 2.5, None, True]), serializer=None),
    ReturnList([{"x": -0.0, "y": 0.0001, "z": 123456789012}], serializer=None),
    [],
    {},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_the_bytes_are_drfs(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_a_number_in_exponent_form_is_the_same_number():
    """The one spelling that differs: orjson writes 1e-7 where the standard library writes 1e-07."""
    data = {"tiny": 1e-7, "huge": 1.5e16}
    ours, theirs = JSONRenderer().render(data), renderers.JSONRenderer().render(data)
    assert json.loads(ours) == json.loads(theirs) == data
    assert ours == b'{"tiny":1e-7,"huge":1.5e+16}'


def test_what_orjson_cannot_write_is_rendered_by_drf():
    for data in ({1: "integer key"}, {"big": 2**70}):
        assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)
    indented = JSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert indented == renderers.JSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert JSONRenderer().render(None) == b""


def test_the_api_answers_with_it(api, alice, company):
    response = api(alice).get("/api/v1/company", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, JSONRenderer)
    assert response.content == renderers.JSONRenderer().render(response.data)
