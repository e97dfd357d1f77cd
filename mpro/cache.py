"""The Redis cache, degraded instead of broken when Redis is unreachable.

The cache holds rate limits and throttles (logins, API, dealer search). With Redis down, Django's
RedisCache raises on every call, which made every login and API call a 500. This backend falls
back to a cache in the process's own memory for as long as Redis fails: limits still hold, per
process instead of across processes (with N web processes an attacker gets at most N times the
budget during the outage), and everything else keeps working. Each failure is logged."""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5  # after a failure, use memory only for this long (no timeout per call)


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every cache call, and each one fills a table of
    about 170 response callbacks: 0.1-0.2 ms of CPU per call, two or three calls on every request
    (session, token, throttle). A `redis.Redis` over a connection pool is thread-safe, so one per
    pool is built once and kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, **params.get("OPTIONS", {})},
        }
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._fallback = LocMemCache("mpro-cache-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    @property
    def degraded(self) -> bool:
        """True while this process uses its own memory instead of Redis."""
        return time.monotonic() < self._down_until

    def _failed(self, error: BaseException) -> None:
        self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
        log.error("cache: Redis unreachable, using process memory for %d s: %s", RETRY_AFTER_SECONDS, error)

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except _redis_errors() as error:
                self._failed(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    def count_in_window(self, key: str, timeout: int) -> int:
        """Adds one to a counter that expires `timeout` seconds after its first count and returns
        it: INCR and EXPIRE NX in one pipeline, one round trip (the API throttles, mpro.throttling)."""
        if time.monotonic() >= self._down_until:
            try:
                full_key = self.make_and_validate_key(key)
                pipeline = self._cache.get_client(full_key, write=True).pipeline(transaction=False)
                pipeline.incr(full_key)
                pipeline.expire(full_key, timeout, nx=True)
                return int(pipeline.execute()[0])
            except _redis_errors() as error:
                self._failed(error)
        return count_in_window(self._fallback, key, timeout)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")


def count_in_window(cache, key: str, timeout: int) -> int:
    """count_in_window for any other cache backend (memory in tests, or Redis down): ADD and INCR."""
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1
