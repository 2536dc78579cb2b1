from __future__ import annotations

import os
import shutil

import pytest

from tongchou.accounts.seed import DEMO_PASSWORD, seed_demo_users, seed_organisations


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_in_memory_sqlite():
    """On the in-memory SQLite test database the live server's threads and the test share ONE connection
    (Django hands it to them: a second connection would see an empty database). Django's threaded live
    server then runs a page's concurrent requests (the form post beside an htmx live assessment) on that one
    connection at once, and their transactions and savepoints interleave: "no such savepoint", a session row
    rolled back under another request (SessionInterrupted), a browser test timing out. Serving one request
    at a time, on the live-server thread, removes the race; the non-threaded server also answers
    `Connection: close`, so a browser's keep-alive connection cannot hold the server. PostgreSQL and a file
    SQLite database give each thread its own connection and keep Django's threaded server."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3") or database.get("TEST", {}).get("NAME"):
        yield
        return
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # the connection override is already in place on the live-server thread that serves requests
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture
def orgs(db):
    seed_organisations()


@pytest.fixture
def demo_users(orgs):
    seed_demo_users()
    from tongchou.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def login(client, demo_users, demo_password):
    """Logs the test client in as one of the demo users and returns that user."""

    def _login(username: str):
        # force_login: django-axes refuses client.login() without a request; the login page itself is
        # driven in tests/accounts/.
        user = demo_users[username]
        client.force_login(user)
        if user.needs_second_factor:
            # client.login skips the login page, so the TOTP step is marked done here;
            # tests/accounts/test_second_factor.py drives the real step.
            session = client.session
            session["otp_verified"] = True
            session.save()
        return user

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's production cost makes every demo login take most of a second; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rulesets_dir():
    """`use(*folders)` points TONGCHOU_RULESETS_DIR at the folders (none: unset) and reloads the policy
    registry through its public hook, as a re-configured process would; the variable and the registry
    are put back after the test. The registry reads the variable once, so setting it alone changes nothing."""
    from tongchou.policy import reload_default_registry
    from tongchou.policy.registry import ENV_VAR

    before = os.environ.get(ENV_VAR)

    def use(*folders: object) -> None:
        if folders:
            os.environ[ENV_VAR] = os.pathsep.join(str(f) for f in folders)
        else:
            os.environ.pop(ENV_VAR, None)
        reload_default_registry()

    yield use
    if before is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = before
    reload_default_registry()


def pytest_configure(config):
    """Browser tests: Playwright's expect() waits 5 s by default, too short on a loaded 2-core CI machine,
    where the htmx round trips are slow, not broken."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        return
    expect.set_options(timeout=45_000)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser_page(monkeypatch):
    """A page in Debian's Chromium (never a downloaded browser), headless, zh-CN; skipped where Chromium is
    not installed (`.ci/run` installs it)."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(45_000)  # generous: a loaded 2-core CI machine is slow, not broken
        try:
            yield page
        finally:
            browser.close()
            # Playwright's sync API runs the test in a greenlet with a context of its own, and Django keeps
            # its connections per context: the connection the test's ORM calls opened there is closed here,
            # or PostgreSQL cannot drop the test database at the end ("being accessed by other users").
            connections.close_all()
