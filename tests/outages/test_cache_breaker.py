"""The cache's breaker (diaspora_site/cache_backend.py): one timeout, then misses at
once until it is time to try again; the outage logged once; writes dropped during
it make the cache empty itself when Redis answers again."""

import logging

import pytest
from django_redis.cache import RedisCache
from redis.exceptions import TimeoutError as RedisTimeoutError

from diaspora_site.cache_backend import ResilientRedisCache


class FakeRedis:
    """Stands for the Redis server behind django-redis: up or down, and what it was asked."""

    def __init__(self):
        self.up = True
        self.data = {}
        self.calls = []
        self.cleared = 0

    def answer(self, name, result):
        self.calls.append(name)
        if not self.up:
            raise RedisTimeoutError("Timeout reading from socket")
        return result


@pytest.fixture
def redis(monkeypatch):
    """Redis as django-redis would see it, for the caches made here only: the suite's
    own cache (Redis in CI) keeps the real methods."""
    fake = FakeRedis()
    real = {name: getattr(RedisCache, name) for name in ("get", "set", "clear")}

    def get(self, key, default=None, version=None, client=None):
        if not isinstance(self, ResilientRedisCache):
            return real["get"](self, key, default, version, client)
        return fake.answer("get", fake.data.get(key, default))

    def set(self, key, value, *args, **kwargs):
        if not isinstance(self, ResilientRedisCache):
            return real["set"](self, key, value, *args, **kwargs)
        fake.answer("set", None)
        fake.data[key] = value
        return True

    def clear(self):
        if not isinstance(self, ResilientRedisCache):
            return real["clear"](self)
        fake.answer("clear", None)
        fake.data.clear()
        fake.cleared += 1

    monkeypatch.setattr(RedisCache, "get", get)
    monkeypatch.setattr(RedisCache, "set", set)
    monkeypatch.setattr(RedisCache, "clear", clear)
    return fake


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("diaspora_site.cache_backend.time.monotonic", lambda: now[0])
    return now


def make_cache():
    return ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"RETRY_SECONDS": 30}})


def test_one_failure_then_misses_without_asking_until_it_is_time_to_retry(redis, clock, caplog):
    cache = make_cache()
    redis.up = False
    with caplog.at_level(logging.WARNING, logger="diaspora_site.cache"):
        assert cache.get("page") is None
        for _ in range(50):
            assert cache.get("page", "default") == "default"
            assert cache.set("page", "html") is False
    assert redis.calls == ["get"], "only the first call waited for Redis"
    assert [r.getMessage() for r in caplog.records if "does not answer" in r.getMessage()] != []
    assert len(caplog.records) == 1, "the outage is logged once"

    clock[0] += 31
    assert cache.get("page") is None
    assert redis.calls == ["get", "get"], "one call tries again after RETRY_SECONDS"


def test_writes_dropped_during_the_outage_empty_the_cache_when_it_answers(redis, clock, caplog):
    cache = make_cache()
    cache.set("page", "old html")
    redis.up = False
    cache.set("page", "new html")  # an invalidation that Redis never received
    clock[0] += 31
    redis.up = True
    with caplog.at_level(logging.WARNING, logger="diaspora_site.cache"):
        assert cache.get("page") is None  # the call that finds Redis back
    assert redis.cleared == 1
    assert cache.get("page") is None, "no entry outlives a change made during the outage"
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_an_outage_with_only_reads_keeps_the_cache(redis, clock):
    cache = make_cache()
    cache.set("page", "html")
    redis.up = False
    cache.get("page")
    clock[0] += 31
    redis.up = True
    assert cache.get("page") == "html"
    assert redis.cleared == 0
