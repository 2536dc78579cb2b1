from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a response carries no <link rel="icon"> (a JSON answer, a
    download): send them to the static icon, which whitenoise serves. Not permanent: the static URL may
    change (a hashed name after collectstatic), and a cached 301 would outlive it."""
    response = HttpResponseRedirect(static("tongchou/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from tongchou.web.home import home_panels

    return render(request, "web/home.html", home_panels(request.user))
