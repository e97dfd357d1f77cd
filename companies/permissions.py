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
    # Fleet managers manage drivers (invite, remove); which roles each may touch: MANAGED_ROLES.
    "members.view": {ADMIN, FLEET_MANAGER},
    "members.manage": {ADMIN, FLEET_MANAGER},
    "events.view": {ADMIN, FLEET_MANAGER},
    "vehicles.view_all": {ADMIN, FLEET_MANAGER},
    "vehicles.manage": {ADMIN, FLEET_MANAGER},
    "drivers.self_assign": {DRIVER},
    "packs.view": {ADMIN, FLEET_MANAGER},
    "orders.place": {ADMIN},
    "orders.view": {ADMIN},
    "subscriptions.manage": {ADMIN, FLEET_MANAGER},
    "integrations.manage": {ADMIN},
    "jobs.manage": {ADMIN, FLEET_MANAGER},
}

# The roles of the members someone with "members.manage" may invite, remove or change (the role
# before and after a change): an administrator every role, a fleet manager drivers only (the deck's
# "gestion des conducteurs").
MANAGED_ROLES: dict[str, set[str]] = {
    ADMIN: {ADMIN, FLEET_MANAGER, DRIVER},
    FLEET_MANAGER: {DRIVER},
}


def allows(role: str | None, capability: str) -> bool:
    return role is not None and role in CAPABILITIES[capability]


def manages_role(role: str | None, member_role: str) -> bool:
    """May someone with `role` manage a member who has (or is to get) `member_role`?"""
    return role is not None and member_role in MANAGED_ROLES.get(role, set())
