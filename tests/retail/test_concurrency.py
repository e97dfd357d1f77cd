"""Parallel guesses cannot slip past the support password limit: tries on one company are
serialised by a row lock (PostgreSQL; SQLite has no concurrent writers to race)."""

import threading

import pytest
from django.db import connection

from mpro.errors import ForbiddenError, RateLimitedError
from retail import services
from retail.models import SupportPasswordAttempt

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GUESSES = 12


def test_it_counts_at_most_five_wrong_passwords_when_guesses_race(sam, company, support_password, attest):
    attestation = attest(sam, company)
    actor = services.staff_actor(staff=sam, window=attestation)
    outcomes: list[str] = []
    start = threading.Barrier(GUESSES)

    def guess(n: int) -> None:
        try:
            start.wait()
            services.support_session_open(
                staff=sam, company=company, support_password=f"guess-{n}", actor=actor
            )
        except ForbiddenError:
            outcomes.append("wrong")
        except RateLimitedError:
            outcomes.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["locked"] * (GUESSES - 5) + ["wrong"] * 5
    assert SupportPasswordAttempt.objects.filter(succeeded=False, blocked=False).count() == 5
    assert SupportPasswordAttempt.objects.filter(blocked=True).count() == GUESSES - 5
