from django.dispatch import Signal

# Sent inside the service's transaction, so that apps further down the line (vehicles: driver
# assignments) end what a member had, without companies importing them.
# member_removed(company, user, actor): before the membership is deleted.
member_removed = Signal()
# member_role_changed(company, user, role, actor): after the new role is saved.
member_role_changed = Signal()
# contract_generation_started(company, generation, actor): inside company_update's transaction,
# after the new ContractGeneration row is written; packs moves the live subscriptions onto it.
contract_generation_started = Signal()
