"""The site answers errors in Chinese (pages and API), whatever the browser's language, and has a favicon."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from tests.projects.builders import make_project
from tongchou.web.errors import page_not_found, server_error

ENGLISH = ("Not Found", "requested resource", "Forbidden", "Server Error", "Bad Request")


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def _chinese_page(response, status: int, *needles: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert 'lang="zh-Hans"' in body and "返回工作台" in body
    assert not any(word in body for word in ENGLISH), body
    for needle in needles:
        assert needle in body
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/projects/99999/", "/reviews/rounds/99999/", "/reviews/projects/99999/",
                                  "/demand/99999/", "/portfolio/projects/99999/", "/projects/99999/delivery/",
                                  "/experts/99999/", "/no/such/page/"])
def test_a_missing_page_is_a_chinese_404_with_a_way_back(client, login, path):
    login("reviewer")
    body = _chinese_page(client.get(path), 404, "未找到（404）", 'href="/projects/"')
    assert "<nav" in body  # the site's own frame: the menu stays


@pytest.mark.django_db
def test_another_organisations_project_is_not_found_and_says_so_in_chinese(client, login, demo_users):
    project = make_project(demo_users["applicant"])
    login("applicant2")  # another unit
    for path in (f"/projects/{project.pk}/", f"/reviews/projects/{project.pk}/", f"/portfolio/projects/{project.pk}/"):
        _chinese_page(client.get(path), 404, "或您无权查看")
    answer = client.get(f"/api/v1/projects/{project.pk}")
    assert answer.status_code == 404 and "未找到" in answer.json()["detail"]


@pytest.mark.django_db
def test_a_refused_page_is_a_chinese_403_naming_the_refusal(client, login):
    login("applicant")
    body = _chinese_page(client.get("/experts/new/"), 403, "无权操作（403）", "只有数字化发展局的专家库管理人员可以添加专家")
    assert body.count("只有数字化发展局的专家库管理人员可以添加专家") == 1  # not again as a message


@pytest.mark.django_db
def test_the_api_answers_404_and_403_in_json_with_a_chinese_detail(client, login):
    login("applicant")
    for path in ("/api/v1/no-such-endpoint", "/api/v1/projects/99999"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")
        assert "未找到" in answer.json()["detail"]
    answer = client.get("/api/v1/experts/pool/export.xlsx")
    assert answer.status_code == 403 and "只有数字化发展局的专家库管理人员" in answer.json()["detail"]


@pytest.mark.django_db
def test_a_stale_form_is_a_chinese_403_not_djangos_csrf_page(login, demo_users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["applicant"])
    _chinese_page(client.post("/calendar/days/", {"date": "2027-02-06"}), 403, "页面已过期", "刷新")


@pytest.mark.django_db
def test_a_bad_request_is_a_chinese_400(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    body = _chinese_page(client.get("/", HTTP_HOST="evil.example"), 400, "请求无效（400）")
    assert "<nav" not in body  # rendered without the request: no menu, no user


@pytest.mark.django_db
def test_a_server_error_is_a_chinese_500_page(client, login, monkeypatch):
    def boom(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("tongchou.web.home.home_panels", boom)
    login("applicant")
    client.raise_request_exception = False
    _chinese_page(client.get("/"), 500, "服务器内部错误（500）")


def test_the_500_page_needs_neither_the_request_context_nor_the_database():
    """No django_db mark: any query would fail this test."""
    response = server_error(RequestFactory().get("/projects/1/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器内部错误" in body and "返回工作台" in body and "{%" not in body


def test_api_errors_from_django_are_json_with_a_chinese_detail():
    """A 500 or an unmatched route under /api/ reaches Django's handlers, not django-ninja's."""
    response = server_error(RequestFactory().get("/api/v1/projects"))
    assert response.status_code == 500 and "服务器内部错误" in json.loads(response.content)["detail"]
    response = page_not_found(RequestFactory().get("/api/v1/x"), Exception({"path": "x"}))
    assert json.loads(response.content) == {"detail": "未找到该接口或记录，或您无权查看，请检查地址。", "code": "not_found"}


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_static_svg_icon_which_the_pages_link(client, login):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302 and answer["Location"] == "/static/tongchou/favicon.svg"
    icon = client.get(answer["Location"])
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")
    svg = b"".join(icon.streaming_content)
    assert svg.startswith(b"<svg") and b"<script" not in svg and b"<style" not in svg  # an image under the CSP
    login("applicant")
    assert client.get("/favicon.ico").status_code == 302  # also for a signed-in user (no forced redirect)
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/tongchou/favicon.svg" type="image/svg+xml">' in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_form_errors_and_dates(client, login, settings):
    """Accept-Language en-US used to switch Django's own texts to English ("This field is required.",
    "Thursday"); the site is written in Chinese only."""
    from tongchou.calendar.services import calendar_seed

    calendar_seed()
    login("sysadmin")
    response = client.post("/calendar/days/?year=2026", {}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 422
    body = response.content.decode()
    assert "这个字段是必填项" in body and "This field is required" not in body
    assert "星期四" in body and "Thursday" not in body
    assert response.get("Content-Language", "zh-hans") == "zh-hans"
