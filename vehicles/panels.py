"""What higher apps add to the vehicles pages and the dashboard, without vehicles importing them.

- Van page panels: a connected-service app registers `panel(request, vehicle) -> (template_name,
  context) | None` in its AppConfig.ready(); the van page shows every panel that answers, in
  registration order.
- Dashboard panels: `panel(request) -> (template_name, context) | None`, shown on the portal's
  dashboard to those who see the whole fleet.
- Fleet overview columns (`OverviewColumn`): a sortable column, with an optional filter, computed
  by annotations on the overview's queryset, so the page's query count stays flat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Panel = Callable[..., "tuple[str, dict] | None"]
_panels: list[Panel] = []
_dashboard_panels: list[Panel] = []


@dataclass(frozen=True)
class OverviewColumn:
    """A column of the fleet overview contributed by a higher app.

    `annotate(queryset)` adds the annotation named `sort_field` (an integer, never null: the keyset
    pagination compares it) plus whatever `cell_template` shows of each van; `decorate(vehicles)`
    may then set attributes on the page's vans (no query). When the page is not sorted by the
    column, `annotate_page(vehicles)`, if given, sets on the page's vans what `cell_template` and
    `decorate` read, in one query (otherwise `annotate` runs over the page's ids). `filter_choices` and
    `apply_filter(queryset, value)` make a filter of the overview's form, named `key`."""

    key: str
    label: Any
    sort_field: str
    annotate: Callable
    cell_template: str
    decorate: Callable[[list], None] | None = None
    filter_label: Any = ""
    filter_choices: tuple = field(default_factory=tuple)
    apply_filter: Callable | None = None
    annotate_page: Callable[[list], None] | None = None


_columns: list[OverviewColumn] = []


def register_panel(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def register_dashboard_panel(panel: Panel) -> None:
    if panel not in _dashboard_panels:
        _dashboard_panels.append(panel)


def register_overview_column(column: OverviewColumn) -> None:
    if all(c.key != column.key for c in _columns):
        _columns.append(column)


def overview_columns() -> list[OverviewColumn]:
    return list(_columns)


def _render(request, answers) -> list[str]:
    from django.template.loader import render_to_string

    return [
        render_to_string(template, context, request=request)
        for answer in answers
        if answer is not None
        for template, context in [answer]
    ]


def panels_for(request, vehicle) -> list[str]:
    """The rendered panels (HTML, autoescaped by their own templates)."""
    return _render(request, (panel(request, vehicle) for panel in _panels))


def dashboard_panels_for(request) -> list[str]:
    return _render(request, (panel(request) for panel in _dashboard_panels))
