"""The Retail REST API (API.md, "Dealer staff (Retail)"), under /api/v1/retail/.

Dealer staff only: customers get 404 on every endpoint. Company endpoints need an open
attestation of the caller for that company (403 `code: "attestation_required"`); acting for the
customer (adding vehicles, placing orders) needs an open support session (403
`code: "support_session_required"`), both checked by `retail.windows.open_window`, the door the
Retail pages use too. The views call the same services as the Retail pages.

- `access.py`: who may call (staff permission, the company view base class);
- `serializers.py`: input and output shapes; `schema.py`: what the schema says where API.md is silent;
- `sessions.py` (tokens, attestations, support sessions), `companies.py` (search, company,
  members, registration), `vehicles.py` (vehicles, transfers, orders): the views;
- `urls.py`: the routes.
"""
