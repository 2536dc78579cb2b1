"""The dashboard in a real browser (Debian's Chromium through Playwright): charts drawn under the CSP
with no inline script, and a click on a bar opens the register list behind it."""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_charts_render_and_drill_down(live_server, client, register, browser_page, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client.force_login(_user("bureau"))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 2400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    # htmx (base.html) injects its indicator <style> on every page, which the CSP refuses: count
    # what a plain page logs, and require the dashboard to add nothing to it.
    page.goto(f"{live_server.url}/projects/")
    page.wait_for_timeout(500)
    baseline = len([e for e in errors if "Content Security Policy" in e])
    errors.clear()
    page.goto(f"{live_server.url}/reports/")
    page.wait_for_selector("#fig-by_status canvas", timeout=15000)
    page.wait_for_selector("#fig-by_status .figure-table a")
    assert page.inner_text("#fig-by_status .figure-title") == "项目状态分布"
    page.wait_for_function("() => [...document.querySelectorAll('.figure-title')].every(t => t.textContent !== '…')",
                           timeout=20000)
    page.wait_for_timeout(1200)  # the charts' entry animation
    if os.environ.get("TONGCHOU_SCREENSHOT"):
        page.screenshot(path=os.environ["TONGCHOU_SCREENSHOT"], full_page=True)
    assert len([e for e in errors if "Content Security Policy" in e]) == baseline, errors
    assert "数据加载失败" not in page.content()
    page.click("#fig-by_status .figure-table a >> text=已提交")
    page.wait_for_url("**/projects/?status=submitted*")
    assert "共 3 个项目" in page.content()


def _user(username: str):
    from tongchou.accounts.models import User

    return User.objects.get(username=username)
