from django.dispatch import Signal

# Sent inside member_remove's transaction (kwargs: company, user, actor), before the membership is
# deleted, so apps further down the line (vehicles: driver assignments) can end what the member had.
member_removed = Signal()
