"""Lock and unlock from the van page in Chromium, on a phone (390x844) and a laptop (1366x900):
the panel's script sends the command through the API and follows it to its final state; an unlock
while the van moves is refused with its reason, in the person's language."""

import pytest
from django.utils import translation

from commands.models import Command
from packs.catalogue import seed_catalogue
from packs.models import Pack
from tests import factories as f
from tests.commands.conftest import set_state
from tests.telematics.conftest import connect
from vehicles.models import EmulatedModule

from .test_vehicles_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(LAPTOP, id="laptop")]


@pytest.fixture
def van(company, dora):
    seed_catalogue()
    van = f.VehicleFactory(company=company, vin="W1V9076331P300001", driver=dora, nickname="Door test")
    connect(van, Pack.objects.get(code="remote-functions"))
    return set_state(van, battery_percent=None, plug_inserted=None, doors_locked=False)


@pytest.mark.parametrize("size", SIZES)
def test_lock_then_unlock_from_the_van_page(page, fred, van, size):
    page.set_viewport_size(size)
    log_in(page, fred)
    page.goto(f"/vehicles/{van.vin}/")
    status = page.locator("[data-command-status]")

    page.locator("[data-command=lock]").click()
    status.get_by_text("Lock: Done").wait_for()
    assert page.url.endswith(f"/vehicles/{van.vin}/")  # no reload: the script followed the command
    assert EmulatedModule.objects.get(vin=van.vin).overrides["doors_locked"] is True
    assert page.locator("[data-command=unlock]").is_enabled()

    page.locator("[data-command=unlock]").click()
    status.get_by_text("Unlock: Done").wait_for()
    assert EmulatedModule.objects.get(vin=van.vin).overrides["doors_locked"] is False
    assert list(Command.objects.order_by("pk").values_list("kind", "status")) == [
        ("lock", "succeeded"),
        ("unlock", "succeeded"),
    ]
    # the button is within the phone's width, not cut off
    box = page.locator("[data-command=unlock]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]


@pytest.mark.parametrize(
    ("size", "language"),
    [
        *[pytest.param(PHONE, lang, id=f"phone-{lang}") for lang in ("en", "fr", "da", "de")],
        pytest.param(LAPTOP, "en", id="laptop-en"),
    ],
)
def test_an_unlock_while_moving_is_refused_with_its_reason(page, fred, van, size, language):
    fred.language = language
    fred.save(update_fields=["language"])
    set_state(van, speed_kmh=50.0, gear="D", battery_percent=None, plug_inserted=None)
    page.set_viewport_size(size)
    log_in(page, fred)
    page.goto(f"/vehicles/{van.vin}/")
    with translation.override(language):
        reason = translation.gettext("The van is moving: it cannot be unlocked now.")
    if language != "en":
        assert reason != "The van is moving: it cannot be unlocked now.", "not translated"

    page.locator("[data-command=unlock]").click()
    status = page.locator("[data-command-status]")
    status.get_by_text(reason).wait_for()
    assert "van-actions__status--bad" in status.get_attribute("class")
    assert not Command.objects.exists()
    assert page.locator("[data-command=unlock]").is_enabled()
