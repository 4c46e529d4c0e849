"""Django's Redis cache, made to degrade instead of fail: while Redis cannot be reached, reads
miss and writes are dropped, so pages are computed from the database (slower, but served) and
API throttling pauses. Anything else Redis reports still raises. It also keeps one Redis client
per connection pool instead of building one for every operation."""

import logging

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _unavailable(operation: str, exc: Exception) -> None:
    logger.warning("The cache is unavailable (%s): %s", operation, exc, extra={"cache": "redis"})


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a connection pool (kept for the process's life): its client

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis for every operation, and building one (its table of
        # response callbacks) costs more than a GET on the loopback; a signed-in page makes
        # three. A client is only a front to its connection pool and safe to share between
        # threads, so one is kept per pool.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNAVAILABLE as exc:
            _unavailable("get", exc)
            return default

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNAVAILABLE as exc:
            _unavailable("get_many", exc)
            return {}

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNAVAILABLE as exc:
            _unavailable("has_key", exc)
            return False

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except UNAVAILABLE as exc:
            _unavailable("add", exc)
            return False

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except UNAVAILABLE as exc:
            _unavailable("set", exc)

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        except UNAVAILABLE as exc:
            _unavailable("set_many", exc)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNAVAILABLE as exc:
            _unavailable("touch", exc)
            return False

    def delete(self, key):
        try:
            return super().delete(key)
        except UNAVAILABLE as exc:
            _unavailable("delete", exc)
            return False

    def delete_many(self, keys):
        try:
            super().delete_many(keys)
        except UNAVAILABLE as exc:
            _unavailable("delete_many", exc)

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except UNAVAILABLE as exc:
            _unavailable("incr", exc)
            # What Django raises for a key that is not in the cache.
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).") from exc

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as exc:
            _unavailable("clear", exc)
            return False


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
