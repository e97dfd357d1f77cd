"""`make bench`: figures measured on PostgreSQL and Redis, outside the production apps.

One module per area (`vehicles`, `packs`, `retail`), each with `run(stdout) -> list[Row]`, a row
being (area, measure, value, unit, target); `mpro/management/commands/bench.py` runs them and
prints the table. The packs bench starts a real worker with the integration tests' harness
(tests/integration/worker.py) and the app `benchmarks.worker_app`, which adds the no-op task the
figures compare against; the production worker (`celery -A mpro`) never registers it."""
