"""Levels from the service-due counters: the edges of each threshold, the worse counter deciding,
and the SQL rank (overview sort and filter) agreeing with the Python rule."""

import pytest

from maintenance.levels import level_for, rank_expression
from maintenance.models import LEVEL_RANK
from telematics.models import VehicleState

from .conftest import set_counters


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.MAINTENANCE_SOON_DAYS = 30
    settings.MAINTENANCE_SOON_KM = 3000
    settings.MAINTENANCE_DUE_DAYS = 7
    settings.MAINTENANCE_DUE_KM = 500


@pytest.mark.parametrize(
    ("days", "km", "level"),
    [
        (31, 3001, "ok"),
        (30, 3001, "soon"),  # the soon threshold itself is soon
        (31, 3000, "soon"),
        (8, 501, "soon"),
        (7, 9000, "due"),  # the due threshold itself is due
        (200, 500, "due"),
        (0, 9000, "due"),  # the day itself: due, not yet overdue
        (200, 0, "due"),
        (-1, 9000, "overdue"),
        (200, -1, "overdue"),
        (None, 2000, "soon"),
        (45, None, "ok"),
        (None, None, None),
    ],
)
def test_it_levels_the_counters_at_the_edges(days, km, level):
    assert level_for(days, km) == level


def test_it_reads_the_thresholds_from_settings(settings):
    assert level_for(40, 20_000) == "ok"
    settings.MAINTENANCE_SOON_DAYS = 45
    assert level_for(40, 20_000) == "soon"


@pytest.mark.parametrize(
    ("days", "km"), [(31, 3001), (30, 3001), (7, 9000), (0, 10), (-1, 9000), (200, -5), (None, 2000)]
)
def test_it_ranks_in_sql_as_in_python(maint_van, days, km):
    set_counters(maint_van, days, km)
    rank = (
        VehicleState.objects.filter(vehicle=maint_van)
        .annotate(rank=rank_expression("service_due_days", "service_due_km"))
        .values_list("rank", flat=True)
        .get()
    )
    assert rank == LEVEL_RANK[level_for(days, km)]
