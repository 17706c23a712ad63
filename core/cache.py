"""A Redis cache that fails open: when Redis is down, pages keep working.

The portal uses the cache only for what can be lost (rate-limit counters, carga masiva progress): a request
must not fail, nor hang, because Redis is restarting. Every call that cannot reach Redis answers as a cache
miss and logs a warning. Django's RedisCache has no such option (django-redis' IGNORE_EXCEPTIONS).
"""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
ERRORES = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerante(nombre: str, fallo):
    original = getattr(RedisCache, nombre)

    def metodo(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except ERRORES as error:
            logger.warning("Caché no disponible (%s): %s", nombre, error)
            return fallo(*args, **kwargs)

    metodo.__name__ = nombre
    return metodo


def _incr_fallo(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")  # what a cache miss answers


class TolerantRedisCache(RedisCache):
    add = _tolerante("add", lambda *a, **k: False)
    get = _tolerante("get", lambda key, default=None, *a, **k: default)
    set = _tolerante("set", lambda *a, **k: None)
    touch = _tolerante("touch", lambda *a, **k: False)
    delete = _tolerante("delete", lambda *a, **k: False)
    get_many = _tolerante("get_many", lambda *a, **k: {})
    has_key = _tolerante("has_key", lambda *a, **k: False)
    incr = _tolerante("incr", _incr_fallo)
    set_many = _tolerante("set_many", lambda *a, **k: [])
    delete_many = _tolerante("delete_many", lambda *a, **k: None)
    clear = _tolerante("clear", lambda *a, **k: False)
