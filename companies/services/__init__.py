"""Every write on companies, members, invitations and terms. Pages, the API and the Retail site
call these; none of them checks a rule of its own. One module per job:

    registration  a company registered by its administrator or by dealer staff; edits of its data
                  (a change of name or address starts a new contract generation)
    people        the profile (name or birth date changed: the dealer verifies again) and the
                  support password
    members       invitations sent (send, resend, revoke), roles, removal
    invitations   the invited person's side: the link looked up, declined or accepted
    _common       what they share: field errors, PRO IDs, company data cleaning, terms, generations
"""

from ._common import BASE_DATA_FIELDS, COMPANY_FIELDS, PRO_ID_LETTERS, new_pro_id, terms_accept
from .invitations import invitation_accept, invitation_decline, invitation_lookup, invitation_needs
from .members import (
    invitation_resend,
    invitation_revoke,
    member_change_role,
    member_invite,
    member_remove,
    membership_release_lapsed,
)
from .people import (
    IDENTITY_FIELDS,
    person_region,
    profile_update,
    registration_needs_support_password,
    reverification_message,
    support_password_set,
    support_password_set_at_registration,
)
from .registration import (
    company_data_check,
    company_register,
    company_register_for_customer,
    company_update,
)

__all__ = [
    "BASE_DATA_FIELDS",
    "COMPANY_FIELDS",
    "IDENTITY_FIELDS",
    "PRO_ID_LETTERS",
    "company_data_check",
    "company_register",
    "company_register_for_customer",
    "company_update",
    "invitation_accept",
    "invitation_decline",
    "invitation_lookup",
    "invitation_needs",
    "invitation_resend",
    "invitation_revoke",
    "member_change_role",
    "member_invite",
    "member_remove",
    "membership_release_lapsed",
    "new_pro_id",
    "person_region",
    "profile_update",
    "registration_needs_support_password",
    "reverification_message",
    "support_password_set",
    "support_password_set_at_registration",
    "terms_accept",
]
