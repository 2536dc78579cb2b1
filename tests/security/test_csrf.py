"""CSRF is enforced for the session-authenticated API and for pages (the Django test client skips it
unless asked, so the other suites cannot see it)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tongchou.api.errors import CSRF_DETAIL
from tongchou.projects.models import Project

BODY = {"name": "跨站请求伪造测试", "year": 2025, "construction_cost": "1200000", "project_type": "new"}


@pytest.fixture
def browser(demo_users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["applicant"])
    return client


@pytest.mark.django_db
def test_an_api_write_without_the_csrf_token_is_refused(browser):
    response = browser.post("/api/v1/projects", data=json.dumps(BODY), content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": CSRF_DETAIL, "code": "csrf"}  # not django-ninja's "CSRF check Failed"
    assert not Project.objects.filter(name=BODY["name"]).exists()


@pytest.mark.django_db
def test_an_api_write_with_a_wrong_csrf_token_is_refused_in_chinese(browser):
    browser.get("/projects/")
    response = browser.post("/api/v1/projects", data=json.dumps(BODY), content_type="application/json",
                            HTTP_X_CSRFTOKEN="x" * 32)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf" and "X-CSRFToken" in response.json()["detail"]
    assert not Project.objects.filter(name=BODY["name"]).exists()


@pytest.mark.django_db
def test_an_api_write_with_the_token_from_the_page_is_accepted(browser):
    browser.get("/projects/")  # sets the csrftoken cookie, as the browser's first page does
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/v1/projects", data=json.dumps(BODY), content_type="application/json",
                            HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content.decode()


@pytest.mark.django_db
def test_a_page_form_post_without_the_token_is_refused(browser):
    response = browser.post("/accounts/logout/")
    assert response.status_code == 403
    assert browser.get("/projects/").status_code == 200  # still logged in: the forged logout did nothing
