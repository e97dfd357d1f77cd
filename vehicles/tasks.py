"""Celery tasks of the vehicles app: thin, idempotent, retried with backoff."""

from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from companies.audit import Actor

from . import imports, services
from .models import Vehicle, VehicleImport
from .telematics import TransientTelematicsError


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def vehicle_import_run(self, vehicle_import_id: int) -> None:
    """Checks and creates an import's vehicles (see services.vehicle_import_run)."""
    vehicle_import = VehicleImport.objects.filter(pk=vehicle_import_id).select_related("created_by").first()
    if vehicle_import is None:
        return
    user = vehicle_import.created_by
    actor = Actor.customer(user) if user else Actor.system()
    # The row messages are stored as text: write them in the language of whoever uploaded the
    # file, as the page would have, not in the worker's default language.
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        try:
            imports.vehicle_import_run(vehicle_import_id=vehicle_import_id, actor=actor)
        except OSError:
            raise
        except Exception:
            # Nothing was created (the creation is one transaction); say so instead of leaving the
            # progress bar waiting forever, then let the error reach the logs.
            imports.vehicle_import_fail(
                vehicle_import_id=vehicle_import_id,
                reason=_(
                    "The import stopped on an unexpected error. Nothing was imported; please try again."
                ),
            )
            raise


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=5,
)
def vehicle_module_refresh(self, vehicle_ids: list[int]) -> None:
    """Reads the communication-module state of these vans from the telematics backend."""
    retry_ids = []
    for vehicle in Vehicle.objects.filter(pk__in=vehicle_ids).select_related("company"):
        try:
            services.vehicle_module_refresh(vehicle=vehicle, actor=Actor.system())
        except TransientTelematicsError:
            retry_ids.append(vehicle.pk)
    if retry_ids:
        raise self.retry(args=[retry_ids], countdown=min(300, 10 * 2**self.request.retries))
