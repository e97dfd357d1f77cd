"""What the Retail API's schema says where API.md is silent."""

NEEDS_ATTESTATION = (
    'Needs an open attestation of the caller for this company (403 `code: "attestation_required"`).'
)
NEEDS_SUPPORT_SESSION = (
    "Acts for the customer: needs an open support session of the caller for this company "
    '(403 `code: "support_session_required"`).'
)
ATTESTATION_DOC = (
    "The caller confirms they checked the identity of the customer's employee (valid photo ID, or known "
    "personally). Recorded in the company's history; opens the company to the caller for 8 hours. "
    "`identity_checked` must be true (400 otherwise)."
)
VERIFY_DOC = " Idempotent: verifying again changes nothing and records no second event."
TRANSFER_DOC = (
    " An addition to API.md: moves a VIN another company holds into this company, after the dealer checked "
    "the registration document (`registration_checked: true`). The other company's live subscriptions on "
    "the van are cancelled; both histories record the move. 400 with code `vin_unknown` or `vin_in_fleet`."
)
LOGIN_DOC = (
    "400 when the dealer ID and password do not match. Failures count together with the Retail login "
    "page's: after 10 for one dealer ID from one address (or 50 from anywhere) within 15 minutes, 429 "
    "`login_locked` with `Retry-After`."
)
SUPPORT_DOC = (
    " Opens a 60-minute support session with the support password of one of the company's administrators. "
    "403 `wrong_support_password`; after 5 wrong passwords for this company within 15 minutes, 429 "
    "`support_password_locked` with `Retry-After`. The password is never stored or returned."
)
VIN_SEARCH_DOC = (
    'An addition to API.md: the Retail header\'s "find a vehicle" across every company of the network. '
    "Only a whole VIN (17 characters, any case, spaces ignored) is searched: 400 `vin` otherwise, since a "
    "part of one would list strangers' vans. Answers the van, its verification status and its company's "
    "PRO ID, name and verification status (an empty list when no company holds it); the company's data "
    "still needs an attestation. Spends the caller's company-search budget (429 with `Retry-After`)."
)
LEAVE_DOC = (
    'An addition to API.md: "leave this company". Ends at once every attestation and support session the '
    "caller holds on the company, recorded in its history. 204; needs no open window, and leaving a "
    "company the caller holds nothing on changes nothing."
)
COMPANY_UPDATE_DOC = (
    " An addition to API.md: changes the customer's company data for them, as PATCH /company does (the "
    "country stays fixed: 400). A new name or address starts a new contract generation "
    "(`contract_generation`), and the company's live subscriptions move to it."
)
ORDER_REVIEW_DOC = (
    " An addition to API.md: the review step of POST .../orders, with the same body. Writes nothing; "
    "answers what the order would be (pack, price, yearly total, welcome-offer end, first charged day) and, "
    "per vehicle, the services the pack adds and the packs it already has. Refuses as the order would "
    "(400, 404, 409 `already_subscribed`); the total is the one the order then records."
)
