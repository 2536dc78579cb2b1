"""System admin: organisations and accounts; security admin: roles and security; 三权分立 between them."""

from __future__ import annotations

import pytest
from django.test import Client

from tongchou.accounts.models import Organisation, Role, User
from tongchou.audit.models import AuditEvent


@pytest.mark.django_db
def test_the_system_admin_creates_an_account_whose_issued_password_must_be_changed(client, login):
    login("sysadmin")
    org = Organisation.objects.get(code="cj-water")
    response = client.post("/accounts/manage/users/new/", {"username": "shuili01", "display_name": "韩水利",
                                                          "organisation": org.pk, "role": "applicant"})
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="shuili01")
    assert user.must_change_password and user.organisation == org and not user.is_superuser
    event = AuditEvent.objects.get(event="account.created")
    assert event.actor_name == "sysadmin" and password not in str(event.data)

    newcomer = Client()
    assert newcomer.post("/accounts/login/", {"username": "shuili01", "password": password}).status_code == 302
    forced = newcomer.get("/projects/")
    assert forced.status_code == 302 and forced["Location"] == "/accounts/password/"


@pytest.mark.django_db
def test_account_form_errors_name_the_field(client, login):
    login("sysadmin")
    response = client.post("/accounts/manage/users/new/", {"username": "带 空格", "display_name": "",
                                                          "role": "applicant"})
    body = response.content.decode()
    assert response.status_code == 400 and "账号：" in body and "姓名：" in body
    duplicate = client.post("/accounts/manage/users/new/", {"username": "applicant", "display_name": "重复",
                                                           "organisation": Organisation.objects.first().pk,
                                                           "role": "applicant"})
    assert "已存在" in duplicate.content.decode()


@pytest.mark.django_db
def test_the_system_admin_cannot_hand_out_admin_roles(client, login, demo_users):
    from tongchou.accounts.services import user_create
    from tongchou.core_errors import DomainError

    with pytest.raises(DomainError, match="安全管理员"):
        user_create(actor=demo_users["sysadmin"], username="x", display_name="x", organisation=None,
                    role=Role.AUDIT_ADMIN)
    login("sysadmin")
    response = client.post(f"/accounts/manage/users/{demo_users['applicant'].pk}/role/", {"role": "system_admin"})
    assert response.status_code == 403
    assert User.objects.get(username="applicant").role == Role.APPLICANT


@pytest.mark.django_db
def test_disabling_an_account_ends_all_its_sessions(client, login, demo_users, demo_password):
    victim = Client()
    assert victim.post("/accounts/login/", {"username": "applicant", "password": demo_password}).status_code == 302
    assert victim.get("/").status_code == 200
    login("sysadmin")
    response = client.post(f"/accounts/manage/users/{demo_users['applicant'].pk}/disable/", follow=True)
    assert "已停用" in response.content.decode()
    assert victim.get("/").status_code == 302
    again = Client().post("/accounts/login/", {"username": "applicant", "password": demo_password})
    assert again.status_code == 200 and "账号或密码错误" in again.content.decode()
    assert {"account.disabled", "account.sessions_ended"} <= set(AuditEvent.objects.values_list("event", flat=True))


@pytest.mark.django_db
def test_an_admin_cannot_disable_themselves(client, login, demo_users):
    me = login("sysadmin")
    response = client.post(f"/accounts/manage/users/{me.pk}/disable/", follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=me.pk).is_active


@pytest.mark.django_db
def test_the_security_admin_changes_a_role_and_the_old_sessions_end(client, login, demo_users, demo_password):
    target = Client()
    target.post("/accounts/login/", {"username": "reviewer", "password": demo_password})
    assert target.get("/projects/").status_code == 200
    login("secadmin")
    response = client.post(f"/accounts/manage/users/{demo_users['reviewer'].pk}/role/", {"role": "bureau_lead"},
                           follow=True)
    assert "角色已调整" in response.content.decode()
    assert User.objects.get(username="reviewer").role == Role.BUREAU_LEAD
    assert target.get("/projects/").status_code == 302
    event = AuditEvent.objects.get(event="account.role_changed")
    assert event.data == {"before": "bureau_reviewer", "after": "bureau_lead"} and event.actor_name == "secadmin"


@pytest.mark.django_db
def test_the_security_admin_grants_classified_access_resets_totp_and_unlocks(client, login, demo_users):
    from axes.models import AccessAttempt

    login("secadmin")
    reviewer = demo_users["reviewer"]
    client.post(f"/accounts/manage/users/{reviewer.pk}/classified/", {"allowed": "1"})
    assert User.objects.get(pk=reviewer.pk).classified_access
    auditor = demo_users["auditor"]
    User.objects.filter(pk=auditor.pk).update(totp_secret="JBSWY3DPEHPK3PXP")
    client.post(f"/accounts/manage/users/{auditor.pk}/totp/")
    assert User.objects.get(pk=auditor.pk).totp_secret == ""
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "applicant", "password": "Wrong#pass1"})
    assert AccessAttempt.objects.filter(username="applicant").exists()
    assert "applicant" in client.get("/accounts/manage/security/").content.decode()
    client.post(f"/accounts/manage/users/{demo_users['applicant'].pk}/unlock/")
    assert not AccessAttempt.objects.filter(username="applicant").exists()
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"account.classified_access_changed", "account.totp_reset", "account.unlocked"} <= events


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "path", "method", "allowed"), [
    ("sysadmin", "/accounts/manage/organisations/", "get", True),
    ("secadmin", "/accounts/manage/organisations/", "get", False),
    ("auditor", "/accounts/manage/organisations/", "get", False),
    ("applicant", "/accounts/manage/organisations/", "get", False),
    ("secadmin", "/accounts/manage/users/new/", "get", False),
    ("auditor", "/accounts/manage/users/", "get", False),
    ("reviewer", "/accounts/manage/users/", "get", False),
    ("sysadmin", "/accounts/manage/security/", "get", False),
    ("secadmin", "/accounts/manage/security/", "get", True),
])
def test_each_admin_page_is_for_its_own_role_only(client, login, username, path, method, allowed):
    login(username)
    response = getattr(client, method)(path)
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "三权分立" in response.content.decode()


@pytest.mark.django_db
def test_the_system_admin_edits_organisations_and_it_is_audited(client, login):
    login("sysadmin")
    response = client.post("/accounts/manage/organisations/new/", {
        "code": "cj-data", "name": "昌吉州数据局", "short_name": "州数据局", "kind": "department",
        "level": "prefecture", "project_code_prefix": "CJ", "is_active": "on"})
    assert response.status_code == 302
    org = Organisation.objects.get(code="cj-data")
    duplicate = client.post("/accounts/manage/organisations/new/", {
        "code": "cj-data2", "name": "昌吉州数据局", "kind": "department", "level": "prefecture"})
    assert duplicate.status_code == 400 and "名称：" in duplicate.content.decode()
    client.post(f"/accounts/manage/organisations/{org.pk}/", {
        "code": "cj-data", "name": "昌吉州数据管理局", "kind": "department", "level": "prefecture",
        "project_code_prefix": "CJ", "is_active": "on"})
    assert Organisation.objects.get(pk=org.pk).name == "昌吉州数据管理局"
    event = AuditEvent.objects.get(event="organisation.updated")
    assert event.data["changed"]["name"] == ["昌吉州数据局", "昌吉州数据管理局"]


@pytest.mark.django_db
def test_an_admin_with_an_issued_password_must_change_it_before_managing(client, login):
    User.objects.filter(username="secadmin").update(must_change_password=True)
    login("secadmin")
    response = client.get("/accounts/manage/security/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
