"""Placeholder: being written."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def plan_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not yet built", status=501)


def plan_nominate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not yet built", status=501)


def plan_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not yet built", status=501)


def plan_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not yet built", status=501)


def plan_decide(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not yet built", status=501)
