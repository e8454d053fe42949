"""The Redis cache backend the portal uses: django-redis, tolerant of a Redis outage.

django-redis with IGNORE_EXCEPTIONS turns a failed read into a miss and a failed write into a no-op.
One call needs more: `add()` answers None on failure, which allauth's rate-limit lock (`cache.add`
in a retry loop) reads as "someone else holds the lock", so every login and signup would wait for
the lock and then be refused with 429 while Redis is down. Here a failed `add()` answers True:
rate limits are not counted during the outage (they fail open) and pages keep answering.
"""

from django_redis.cache import RedisCache, omit_exception


class OutageTolerantRedisCache(RedisCache):
    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
