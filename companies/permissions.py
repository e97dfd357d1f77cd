"""What each role may do. The single place where roles are mapped to capabilities; pages and API
both ask `allows(role, capability)`."""

from .models import Role

ADMIN, FLEET_MANAGER, DRIVER = Role.ADMIN, Role.FLEET_MANAGER, Role.DRIVER

CAPABILITIES: dict[str, set[str]] = {
    # Any member of the company: their vans' status and commands (drivers: their own van only).
    "company.member": {ADMIN, FLEET_MANAGER, DRIVER},
    # The company's own record (name, address, administrators, verification); API.md: drivers 403.
    "company.view": {ADMIN, FLEET_MANAGER},
    "company.manage": {ADMIN},
    "members.view": {ADMIN},
    "members.manage": {ADMIN},
    "events.view": {ADMIN, FLEET_MANAGER},
    "vehicles.view_all": {ADMIN, FLEET_MANAGER},
    "vehicles.manage": {ADMIN, FLEET_MANAGER},
    "drivers.self_assign": {DRIVER},
    "packs.view": {ADMIN, FLEET_MANAGER},
    "orders.place": {ADMIN},
    "orders.view": {ADMIN},
    "subscriptions.manage": {ADMIN, FLEET_MANAGER},
    "integrations.manage": {ADMIN},
}


def allows(role: str | None, capability: str) -> bool:
    return role is not None and role in CAPABILITIES[capability]
