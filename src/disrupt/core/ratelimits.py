"""Rate limits (django-ratelimit) that answer 429 with a page saying what happened.

The counters live in the default cache. The default cache is Django's local-memory cache,
which is per process: right for `disrupt serve` (one process, many threads); a deployment
running several web processes needs a shared cache (memcached or Redis) in CACHES.
Behind a reverse proxy, set RATELIMIT_IP_META_KEY so the client's address is counted, not
the proxy's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_ratelimit.core import get_usage

View = Callable[..., HttpResponseBase]

# django-ratelimit's sentinel for "every method".
ALL_METHODS: tuple[None] = (None,)


def rate_limited(
    group: str, *, key: str, setting: str, method: Any = ALL_METHODS, doing: str
) -> Callable[[View], View]:
    """Allow at most settings.<setting> (e.g. '10/m') requests per `key` ('ip' or 'user').

    Beyond it, answer 429 with a page naming what was limited (`doing`) and when to try again.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            rate: str = getattr(settings, setting)
            usage = get_usage(request, group=group, key=key, rate=rate, method=method, increment=True)
            if usage is not None and usage["should_limit"]:
                seconds = max(int(usage["time_left"]), 1)
                context = {
                    "doing": doing,
                    "retry_seconds": seconds,
                    "retry_after": dt.timedelta(seconds=seconds),
                }
                response = render(request, "429.html", context, status=429)
                response["Retry-After"] = str(seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
