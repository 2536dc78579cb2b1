"""Typed requests for views and API endpoints that only run for a signed-in user (ADR 0200).

`HttpRequest.user` is `User | AnonymousUser` to the type checker. Every page behind `login_required`
and every API endpoint behind the API's `django_auth` runs only for a signed-in `User`, so those
views annotate their request as `AuthenticatedHttpRequest` instead of scattering ignores or casts.
This is an annotation only: nothing changes at run time (Django still passes its own request object).
"""

from __future__ import annotations

from django.http import HttpRequest

from tongchou.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An `HttpRequest` whose `user` has already been authenticated (login_required / django_auth)."""

    user: User
