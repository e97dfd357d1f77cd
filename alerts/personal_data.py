"""What the alerts app holds about a person: their e-mail opt-in, and their name on the alerts
they acknowledged. Registered with mpro.personal_data from AlertsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mpro import personal_data as pd

from .models import Alert, AlertEmailOptIn


def _collect(user) -> dict:
    return {
        "alert_emails": AlertEmailOptIn.objects.filter(user=user).exists(),
        "alerts_acknowledged": [
            {
                "alert": a.pk,
                "kind": a.kind,
                "vin": a.vehicle.vin,
                "acknowledged_at": a.acknowledged_at.isoformat(),
            }
            for a in Alert.objects.filter(acknowledged_by=user)
            .select_related("vehicle")
            .order_by("acknowledged_at")
        ],
    }


def _plan(user) -> list[pd.Item]:
    return [
        pd.Item(_("Alert e-mail choice"), AlertEmailOptIn.objects.filter(user=user).count(), pd.DELETED),
        pd.Item(
            _("Alerts you acknowledged"),
            Alert.objects.filter(acknowledged_by=user).count(),
            pd.ANONYMISED,
            _("The company keeps when its alerts were acknowledged, without your name."),
        ),
    ]


def _erase(user, context: pd.ErasureContext) -> None:
    AlertEmailOptIn.objects.filter(user=user).delete()
    Alert.objects.filter(acknowledged_by=user).update(acknowledged_by=None)


def register() -> None:
    pd.register_section(pd.Section("alerts", _("Alerts"), _collect, order=60))
    pd.register_person_step(pd.Step("alerts", _plan, _erase, order=40))
