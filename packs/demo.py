"""Demo data for `manage.py seed_demo`. Idempotent."""


def seed(company) -> list[str]:
    """Seeds this app's demo data for the demo company; returns lines to print (logins, notes)."""
    return []
