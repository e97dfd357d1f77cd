"""What apps further up hear from the vehicles app, without vehicles importing them.

`workshop_changed(company, vehicle_ids, actor)` is sent inside the service's transaction after a
van's workshop or the company's default workshop changed (`vehicle_ids`: the vans whose effective
workshop may have moved), so that maintenance moves their open service-due items in the same
transaction."""

from django.dispatch import Signal

workshop_changed = Signal()
