"""The driver app's tests use the people and the van of the jobs tests: the same fixtures, one copy."""

from tests.jobs.conftest import dan, dora_van, oliver, send  # noqa: F401  (fixtures)
