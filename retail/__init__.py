"""Retail: the dealer site (/retail/ and /api/v1/retail/).

Dealer staff (DealerStaff: a user, an outlet, a dealer ID) log in with their dealer ID, find a
customer's company, confirm the identity of the customer's employee (an Attestation, 8 hours,
settings.ATTESTATION_HOURS), then verify the company, its people and its vans. To act for the
customer (add vans, buy packs) they open a SupportSession with the customer's support password
(60 minutes, settings.SUPPORT_SESSION_MINUTES). Both windows are bound to one staff member and
one company; every action is an AuditEvent whose `acting_under` names the window
("attestation #12", "support session #7"; "company registration" for registering a company).

Choices worth knowing:
- "This outlet's" verification queue (dashboard): companies whose default workshop is the outlet,
  companies with a van whose workshop is the outlet, and companies the outlet's staff registered
  (RetailRegistration). A company waits while it or its first administrator is not verified; a van
  waits while it is not verified (rejected ones wait for the customer, not the dealer).
- A form posted after its window ran out is kept as a draft in the session (never the support
  password) and shown again, filled in, once the staff member has confirmed identity again or
  reopened the support session (retail.access).
- Company search is rate-limited per staff member with DRF's `retail_search` rate, one budget in
  the cache for page and API (retail.throttling). Wrong support passwords are limited per company
  in the database (SupportPasswordAttempt), so the limit holds across processes and is audited.
- Rejecting is refused once verified (409); verifying is idempotent (one audit event).
- Transferring a VIN from another company (page and POST /retail/companies/{pro_id}/transfers,
  an addition to API.md) needs the attestation only: it is a verification act on the registration
  document, not acting for the customer. The vehicle arrives unverified; verify it next.
"""
