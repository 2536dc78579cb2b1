"""三权分立: the three admin roles kept apart, none with a business action; a Django superuser flag grants
nothing; one account holds one role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.test_idor_matrix import PARAM, _fill, _routes, _send
from tests.security.test_idor_matrix import world as world  # noqa: F401  (fixture)
from tongchou.accounts.models import ADMIN_ROLES, Role, User

# Configuration the system admin owns (SECURITY.md: users, organisations, configuration, backups).
SYSTEM_ADMIN_CONFIG = {
    ("PUT", "/api/v1/calendar/days"),
    ("DELETE", "/api/v1/calendar/days/{day}"),
    ("POST", "/api/v1/calendar/years/{year}/confirm"),
    ("PUT", "/api/v1/obligations/service-levels/{code}"),
}
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Everyone's own inbox (marking one's own notifications read is not a business action).
PERSONAL = {("POST", "/api/v1/notifications/read-all")}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_no_admin_role_performs_a_business_write_through_the_api(client, world, login, username):
    login(username)
    done = []
    for method, path in _routes():
        if method not in WRITES or (method, path) in PERSONAL or (username == "sysadmin" and (method, path) in SYSTEM_ADMIN_CONFIG):
            continue
        urls = _fill(path, world["ids"], world) if PARAM.search(path) else [path]
        for url in urls:
            response = _send(client, method, url)
            if response.status_code < 300:
                done.append(f"{method} {url} -> {response.status_code} {response.content[:120]!r}")
            assert response.status_code < 500, (method, url, response.content[:300])
    assert not done, "\n".join(done)


@pytest.mark.django_db
def test_the_audit_admin_reads_the_audit_log_and_no_business_data(client, world, login):
    login("auditor")
    assert client.get(reverse("audit:events")).status_code == 200
    readable = []
    for method, path in _routes():
        if method != "GET":
            continue
        urls = _fill(path, world["ids"], world) if PARAM.search(path) else [path]
        if path.startswith("/api/v1/public/"):
            continue  # the open register (Art. 35) is public by design; tests/reports keeps drafts out of it
        for url in urls:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            if response.status_code == 200 and any(n in text for n in world["names"]):
                readable.append(url)
    for url in ["/api/v1/projects", "/api/v1/experts/pool", "/api/v1/reviews/desk", "/api/v1/delivery/inventory"]:
        response = client.get(url)
        if response.status_code == 200 and response.json() not in ([], {}, None):
            body = response.json()
            if any(body.values()) if isinstance(body, dict) else body:
                readable.append(url)
    project = world["project"]
    assert client.get(f"/projects/{project.pk}/").status_code in (403, 404)
    assert not readable, readable


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "others"), [
    ("sysadmin", ["audit:events", "accounts:security"]),
    ("secadmin", ["audit:events", "accounts:organisations"]),
    ("auditor", ["accounts:users", "accounts:security", "accounts:organisations"]),
])
def test_each_admin_is_refused_the_other_admins_pages(client, demo_users, login, username, others):
    login(username)
    for name in others:
        assert client.get(reverse(name)).status_code in (403, 404), name


def test_one_account_holds_exactly_one_role():
    field = User._meta.get_field("role")
    assert field.get_internal_type() == "CharField" and not field.many_to_many
    assert {r.value for r in ADMIN_ROLES} <= {r.value for r in Role}
    assert not any(f.many_to_many and "role" in f.name for f in User._meta.get_fields())


@pytest.mark.django_db
def test_a_django_superuser_flag_grants_nothing(client, world, demo_users):
    """An applicant of another unit with is_superuser/is_staff set by hand (or by `createsuperuser`) sees
    no other unit's project, no audit log, no admin pages; there is no Django admin site."""
    intruder = demo_users["countyapp"]
    User.objects.filter(pk=intruder.pk).update(is_superuser=True, is_staff=True)
    intruder.refresh_from_db()
    client.force_login(intruder)
    project = world["project"]
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 404
    assert client.get(f"/projects/{project.pk}/").status_code in (403, 404)
    for name in ["audit:events", "accounts:users", "accounts:security", "accounts:organisations"]:
        assert client.get(reverse(name)).status_code in (403, 404), name
    assert client.get("/admin/").status_code == 404
    listed = client.get("/api/v1/projects").content.decode()
    assert not any(n in listed for n in world["names"])
