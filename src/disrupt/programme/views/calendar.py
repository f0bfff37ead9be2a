"""Placeholder: being written."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def calendar(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not yet built", status=501)


def ical_feed(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not yet built", status=501)
