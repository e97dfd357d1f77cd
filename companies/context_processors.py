from .permissions import CAPABILITIES, allows
from .tenancy import get_membership, is_dealer_staff


def tenancy(request):
    """Lets templates ask `can.vehicles_manage` and show the caller's company."""
    if not hasattr(request, "user") or not request.user.is_authenticated or is_dealer_staff(request.user):
        return {}
    membership = get_membership(request)
    role = membership.role if membership else None
    return {
        "current_membership": membership,
        "current_company": membership.company if membership else None,
        "can": {name.replace(".", "_"): allows(role, name) for name in CAPABILITIES},
    }
