"""Panels that higher apps add to a van's page, without vehicles importing them.

A connected-service app registers `panel(request, vehicle) -> (template_name, context) | None` in
its AppConfig.ready(); the van page shows every panel that answers, in registration order."""

from __future__ import annotations

from collections.abc import Callable

Panel = Callable[..., "tuple[str, dict] | None"]
_panels: list[Panel] = []


def register_panel(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(request, vehicle) -> list[str]:
    """The rendered panels (HTML, autoescaped by their own templates)."""
    from django.template.loader import render_to_string

    return [
        render_to_string(template, context, request=request)
        for panel in _panels
        if (answer := panel(request, vehicle)) is not None
        for template, context in [answer]
    ]
