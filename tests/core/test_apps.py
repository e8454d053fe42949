"""`migrate` creates everything the portal needs, the database cache table included."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_cache_table_without_a_separate_createcachetable():
    if not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        pytest.skip("with REDIS_URL the cache is Redis: there is no table to create")
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert table in connection.introspection.table_names()
    cache.set("migrate-made-me", 1)
    assert cache.get("migrate-made-me") == 1
