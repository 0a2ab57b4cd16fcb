"""Answers remembered inside one request: once per key, forgotten at the end and at the request's first write."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.http import HttpResponse
from django.test import RequestFactory

from apps.core import request_memo
from apps.core.request_memo import RequestMemoMiddleware


def counter():
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute


def test_a_key_is_computed_once_a_request_and_again_in_the_next():
    compute = counter()

    def view(request):
        first, second = request_memo.memoized("k", compute), request_memo.memoized("k", compute)
        other = request_memo.memoized(("k", 2), compute)
        return HttpResponse(f"{first} {second} {other}")

    middleware = RequestMemoMiddleware(view)
    assert middleware(RequestFactory().get("/")).content == b"1 1 2"
    assert middleware(RequestFactory().get("/")).content == b"3 3 4"


def test_outside_a_request_nothing_is_kept():
    compute = counter()
    assert [request_memo.memoized("k", compute) for _ in range(3)] == [1, 2, 3]
    request_memo.forget()  # harmless without a memo


def test_a_failing_computation_is_not_remembered():
    def view(request):
        with pytest.raises(ZeroDivisionError):
            request_memo.memoized("k", lambda: 1 / 0)
        return HttpResponse(str(request_memo.memoized("k", lambda: "computed")))

    assert RequestMemoMiddleware(view)(RequestFactory().get("/")).content == b"computed"


@pytest.mark.django_db
def test_any_write_in_the_request_forgets_what_it_remembered():
    compute = counter()

    def view(request):
        seen = [request_memo.memoized("k", compute)]
        group = Group.objects.create(name="writers")  # post_save
        seen.append(request_memo.memoized("k", compute))
        group.permissions.add(Permission.objects.order_by("pk").first())  # m2m_changed
        seen.append(request_memo.memoized("k", compute))
        group.delete()  # post_delete
        seen.append(request_memo.memoized("k", compute))
        return HttpResponse(" ".join(map(str, seen)))

    assert RequestMemoMiddleware(view)(RequestFactory().get("/")).content == b"1 2 3 4"


def test_an_error_in_the_view_still_closes_the_memo():
    def view(request):
        request_memo.memoized("k", lambda: "inside")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert request_memo.memoized("k", lambda: "outside") == "outside"
