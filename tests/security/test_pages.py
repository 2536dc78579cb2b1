"""Every HTML page reachable from the navigation, for every role: a page or a proper refusal, the browser
headers, no inline script (the CSP would block it), a CSRF token in every POST form.

The crawl starts at the navigation entries (all of them, also the ones a role's menu hides) and follows
same-site links one level down, a bounded number per role.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from tongchou.web.context_processors import NAVIGATION

ROLES_USERS = ["applicant", "leader", "reviewer", "bureau", "crypto", "finance", "county", "countyapp", "expert",
               "sysadmin", "secadmin", "auditor"]
SKIP = ("/static/", "/api/", "/accounts/logout", "/healthz")
DOWNLOAD = ("application/vnd", "application/pdf", "text/csv", "application/octet-stream", "application/zip")
PER_ROLE = 60


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.inline_scripts = 0
        self.inline_handlers: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        self.inline_handlers += [f"<{tag} {k}>" for k in a if k.startswith("on")]
        if any(k == "href" and (v or "").lower().startswith("javascript:") for k, v in attrs):
            self.inline_handlers.append(f"<{tag} href=javascript:>")
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action"), "csrf": False}
            self.forms.append(self._form)
        if tag == "input" and self._form is not None and a.get("name") == "csrfmiddlewaretoken":
            self._form["csrf"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _start_urls() -> list[str]:
    urls = []
    for name, *_ in NAVIGATION:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def _problems(response, url: str, logged_in: bool) -> list[str]:
    out = []
    csp = response.get("Content-Security-Policy", "")
    script_src = re.search(r"script-src([^;]*)", csp)
    if not csp or "unsafe-inline" in (script_src.group(1) if script_src else csp) or (
            not script_src and "default-src" not in csp):
        out.append(f"{url}: CSP missing or allows inline script: {csp!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        out.append(f"{url}: no X-Content-Type-Options: nosniff")
    if not response.get("Referrer-Policy"):
        out.append(f"{url}: no Referrer-Policy")
    if logged_in and "no-store" not in response.get("Cache-Control", ""):
        out.append(f"{url}: logged-in page without Cache-Control: no-store")
    return out


@pytest.fixture
def demo_world(db, demo_users):
    call_command("demo", stdout=io.StringIO())
    return demo_users


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES_USERS)
def test_every_reachable_page_is_safe_for_the_role(client, demo_world, login, username):
    login(username)
    queue, seen, problems = list(_start_urls()), set(), []
    shapes: dict[str, int] = {}
    start = set(queue)
    while queue and len(seen) < PER_ROLE:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url.split("?")[0])
        if url in seen or url.startswith(SKIP) or shapes.get(shape, 0) >= 2:
            continue
        seen.add(url)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        status = response.status_code
        if status >= 500 or status not in (200, 302, 403, 404):
            problems.append(f"{url}: status {status}")
            continue
        if status == 302 and "/accounts/login" in response["Location"]:
            problems.append(f"{url}: logged-in {username} sent to the login page")
        problems += _problems(response, url, logged_in=True)
        ctype = response.get("Content-Type", "")
        if status != 200 or not ctype.startswith("text/html"):
            assert status != 200 or ctype.startswith(DOWNLOAD) or "json" in ctype, (url, ctype)
            continue
        parser = PageParser()
        parser.feed(response.content.decode("utf-8"))
        if parser.inline_scripts:
            problems.append(f"{url}: {parser.inline_scripts} inline <script> block(s) the CSP blocks")
        if parser.inline_handlers:
            problems.append(f"{url}: inline event handlers the CSP blocks: {parser.inline_handlers[:3]}")
        problems += [f"{url}: POST form to {f['action']!r} without a CSRF token"
                     for f in parser.forms if f["method"] == "post" and not f["csrf"]]
        if url in start:  # one level below the navigation
            queue += [link for link in parser.links if link not in seen]
    assert len(seen) >= 5
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_anonymous_pages_are_refused_or_the_login_page_with_headers(client, demo_world):
    problems = []
    for url in _start_urls():
        response = client.get(url)
        if response.status_code == 200:
            problems.append(f"{url}: 200 for an anonymous client")
        elif response.status_code == 302 and "/accounts/login" not in response["Location"]:
            problems.append(f"{url}: redirects anonymous to {response['Location']}")
        problems += _problems(response, url, logged_in=False)
    login_page = client.get(reverse("login"))
    problems += _problems(login_page, "login", logged_in=False)
    parser = PageParser()
    parser.feed(login_page.content.decode())
    assert parser.forms and all(f["csrf"] for f in parser.forms if f["method"] == "post")
    assert not parser.inline_scripts
    assert not problems, "\n".join(problems)
