from __future__ import annotations

import pytest
from django.db import transaction

from tongchou.notifications.models import Notification
from tongchou.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_mail_goes_out_only_after_the_transaction_commits(demo_users, django_capture_on_commit_callbacks, mailoutbox):
    applicant = demo_users["applicant"]
    applicant.email = "applicant@example.gov.cn"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notify(users=[applicant, demo_users["leader"]], subject="材料已受理", body="您的申报材料已受理。",
                   link="/deadlines/")
            assert mailoutbox == []  # still inside the transaction
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1  # the leader has no e-mail address: inbox only
    assert mailoutbox[0].to == ["applicant@example.gov.cn"]
    assert mailoutbox[0].subject == "【统筹】材料已受理" and "/deadlines/" in mailoutbox[0].body
    assert Notification.objects.filter(subject="材料已受理").count() == 2


def test_a_rolled_back_transaction_sends_nothing_and_keeps_no_inbox_row(
        demo_users, django_capture_on_commit_callbacks, mailoutbox):
    applicant = demo_users["applicant"]
    applicant.email = "applicant@example.gov.cn"
    applicant.save()

    def action_that_fails_after_notifying():
        with transaction.atomic():
            notify(users=[applicant], subject="不应发出", body="…")
            raise RuntimeError("the action failed after notifying")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        action_that_fails_after_notifying()
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.filter(subject="不应发出").exists()


def test_a_failing_mail_server_does_not_undo_the_notification(demo_users, settings,
                                                              django_capture_on_commit_callbacks, caplog):
    settings.EMAIL_BACKEND = "tests.notifications.broken_mail.Backend"
    applicant = demo_users["applicant"]
    applicant.email = "applicant@example.gov.cn"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[applicant], subject="照常保存", body="…")
    assert Notification.objects.filter(subject="照常保存").exists()
    assert "通知邮件发送失败" in caplog.text


def test_the_header_shows_the_unread_count_and_the_inbox_marks_read(client, login, demo_users):
    notify(users=[demo_users["applicant"]], subject="第一条", body="甲")
    notify(users=[demo_users["applicant"]], subject="第二条", body="乙", link="/deadlines/")
    notify(users=[demo_users["applicant2"]], subject="别人的", body="丙")
    login("applicant")
    home = client.get("/").content.decode()
    assert 'data-unread="2"' in home
    page = client.get("/notifications/").content.decode()
    assert "第一条" in page and "第二条" in page and "别人的" not in page
    first = Notification.objects.get(subject="第一条")
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    assert 'data-unread="1"' in client.get("/").content.decode()
    second = Notification.objects.get(subject="第二条")
    opened = client.post(f"/notifications/{second.pk}/read/", {"open": "1"})
    assert opened["Location"] == "/deadlines/"
    assert "data-unread" not in client.get("/").content.decode()


def test_the_api_shows_only_my_inbox_and_404s_anyone_elses(client, login, demo_users):
    mine = notify(users=[demo_users["applicant"]], subject="我的", body="")[0]
    theirs = notify(users=[demo_users["applicant2"]], subject="他的", body="")[0]
    login("applicant")
    inbox = client.get("/api/v1/notifications").json()
    assert inbox["unread"] == 1 and [n["subject"] for n in inbox["items"]] == ["我的"]
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.post(f"/api/v1/notifications/{mine.pk}/read").json()["read_at"] is not None
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 0}
    client.logout()
    assert client.get("/api/v1/notifications").status_code == 401
