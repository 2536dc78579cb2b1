"""What waits on the development and reform commission and finance after the bureau's opinion, on every review
path (ADR 0165–0167): they see the project, find it in their queue on the desk and through the API, and are
told when it arrives; nobody else is."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.reviews.helpers import COMMENTS, assessment, submit
from tongchou.accounts.models import Organisation, Role, User
from tongchou.notifications.models import Notification
from tongchou.projects.models import Project, Status
from tongchou.projects.selectors import projects_visible_to
from tongchou.reviews.approvals import approval_record, budget_record
from tongchou.reviews.consolidation import consolidation_draft, consolidation_edit, consolidation_issue
from tongchou.reviews.models import ProjectApproval
from tongchou.reviews.opinions import opinion_submit
from tongchou.reviews.queues import work_queue
from tongchou.reviews.routing import review_route

SECURITY = ["crypto_bureau", "digital_bureau", "public_security"]
EVERYONE = ["applicant", "leader", "applicant2", "reviewer", "bureau", "crypto", "police", "ndrc", "finance",
            "county", "countyapp", "expert", "sysadmin", "secadmin", "auditor"]


def _security_opinion(make_project, users, *, conclusion=None, **fields):
    """A prefecture project on the security-review path (no NDRC or finance task) with its opinion issued."""
    project = make_project(**fields)
    review_round = review_route(project=project, actor=users["reviewer"], assessment=assessment(
        "security_review", SECURITY, expert_review=False))
    for task in review_round.tasks.all():
        submit(task, users, conclusion="disagree" if conclusion == "disagree" and task.member == "crypto_bureau"
               else "agree")
    draft = consolidation_draft(review_round=review_round, actor=users["reviewer"])
    if conclusion == "disagree":
        draft = consolidation_edit(consolidated=draft, actor=users["reviewer"], title=draft.title, body=draft.body,
                                   conclusion="disagree", dissent_responses={"crypto_bureau": "采纳，不予支持"})
    consolidation_issue(consolidated=draft, actor=users["bureau"])
    project.refresh_from_db()
    assert project.status == Status.OPINION_ISSUED
    return project


def _told(subject_part: str) -> set[str]:
    return set(Notification.objects.filter(subject__contains=subject_part)
               .values_list("recipient__username", flat=True))


def _queue(client, users, username):
    client.force_login(users[username])
    if users[username].needs_second_factor:
        session = client.session
        session["otp_verified"] = True
        session.save()
    response = client.get("/api/v1/reviews/queue")
    assert response.status_code == 200
    return [(i["queue"], i["project"]) for i in response.json()["items"]]


@pytest.mark.django_db
def test_a_security_review_opinion_reaches_ndrc_and_only_ndrc(make_project, demo_users, clock, client):
    project = _security_opinion(make_project, demo_users)
    assert _told("待立项批复") == {"ndrc"}
    for username in EVERYONE:
        expected = [("approval", project.pk)] if username == "ndrc" else []
        assert _queue(client, demo_users, username) == expected, username
    # The register's selector, not a view check, lets NDRC and finance in (neither had a task).
    assert projects_visible_to(demo_users["ndrc"]).filter(pk=project.pk).exists()
    assert projects_visible_to(demo_users["finance"]).filter(pk=project.pk).exists()
    assert not projects_visible_to(demo_users["applicant2"]).filter(pk=project.pk).exists()


@pytest.mark.django_db
def test_ndrc_follows_the_desk_link_to_the_approval_page_and_records_it(make_project, demo_users, clock, client):
    project = _security_opinion(make_project, demo_users)
    client.force_login(demo_users["ndrc"])
    desk = client.get("/reviews/").content.decode()
    assert "待立项批复" in desk and project.name in desk
    link = f"/reviews/projects/{project.pk}/"
    assert f'href="{link}"' in desk
    page = client.get(link)
    assert page.status_code == 200 and 'name="doc_number"' in page.content.decode()
    response = client.post(link, {"action": "approval", "doc_number": "昌州发改〔2025〕8号",
                                  "approval_date": "2025-03-03", "approved_amount": "1000000"})
    assert response.status_code == 302
    assert ProjectApproval.objects.filter(project=project).exists()
    assert Project.objects.get(pk=project.pk).status == Status.APPROVED
    # The approval leaves NDRC's queue and lands in finance's, with a notice to finance only.
    assert _queue(client, demo_users, "ndrc") == []
    assert _queue(client, demo_users, "finance") == [("budget", project.pk)]
    assert _told("待安排预算") == {"finance"}
    client.force_login(demo_users["finance"])
    desk = client.get("/reviews/").content.decode()
    assert "待安排预算" in desk and f'href="{link}"' in desk
    assert 'name="amount"' in client.get(link).content.decode()
    budget_record(project=project, actor=demo_users["finance"], year=2025, amount="1000000",
                  source="prefecture_fiscal")
    assert _queue(client, demo_users, "finance") == []


@pytest.mark.django_db
def test_a_self_procurement_project_waits_on_finance_not_ndrc(make_project, demo_users, clock, client):
    project = make_project(name="医保小程序")
    assert review_route(project=project, assessment=assessment("self_procurement"),
                        actor=demo_users["reviewer"]) is None
    assert _queue(client, demo_users, "ndrc") == []
    items = work_queue(demo_users["finance"])
    assert [(i.queue, i.project.pk, i.note) for i in items] == [("budget", project.pk, "自行组织实施（第十六条）")]
    client.force_login(demo_users["finance"])
    assert client.get(f"/reviews/projects/{project.pk}/").status_code == 200
    client.force_login(demo_users["police"])
    assert client.get(f"/reviews/projects/{project.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_disagreeing_opinion_asks_nothing_of_ndrc(make_project, demo_users, clock, client):
    _security_opinion(make_project, demo_users, conclusion="disagree")
    assert _told("待立项批复") == set()
    assert _queue(client, demo_users, "ndrc") == []


@pytest.mark.django_db
def test_the_queue_is_oldest_first(make_project, demo_users, clock, client):
    later = _security_opinion(make_project, demo_users, name="较新的项目")
    clock.move_to(dt.datetime(2025, 2, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    earlier = _security_opinion(make_project, demo_users, name="较早的项目")
    assert _queue(client, demo_users, "ndrc") == [("approval", earlier.pk), ("approval", later.pk)]
    page = client.get("/reviews/").content.decode()
    assert page.index("较早的项目") < page.index("较新的项目")


@pytest.mark.django_db
def test_a_classified_project_waits_only_for_the_entitled(make_project, demo_users, clock, client):
    project = _security_opinion(make_project, demo_users, classified=True)
    assert _told("待立项批复") == set()
    assert _queue(client, demo_users, "ndrc") == []
    ndrc = demo_users["ndrc"]
    ndrc.classified_access = True
    ndrc.save()
    assert _queue(client, demo_users, "ndrc") == [("approval", project.pk)]


@pytest.mark.django_db
def test_a_county_opinion_waits_on_the_county_bureau_lead_not_the_prefecture_members(make_project, demo_users,
                                                                                     clock, client):
    county_lead = demo_users["countylead"]
    other_lead = User.objects.create(username="hutubilead", role=Role.BUREAU_LEAD,
                                     organisation=Organisation.objects.get(code="hutubi-digital"))
    project = make_project(unit_code="changji-edu", level="county", submitter="countyapp")
    review_round = review_route(project=project, assessment=assessment(
        "security_review", ["crypto_bureau", "public_security"], expert_review=False), actor=demo_users["county"])
    for task in review_round.tasks.all():
        opinion_submit(task=task, actor=demo_users["county"], conclusion="agree", comments=COMMENTS[task.member])
    consolidation_issue(consolidated=consolidation_draft(review_round=review_round, actor=demo_users["county"]),
                        actor=county_lead)
    assert _told("待立项批复") == set()
    assert [(i.queue, i.project.pk) for i in work_queue(county_lead)] == [("approval", project.pk)]
    assert work_queue(other_lead) == []
    for username in ("ndrc", "finance", "county"):  # the county's reviewer does not record approvals
        assert _queue(client, demo_users, username) == [], username
    assert not projects_visible_to(demo_users["ndrc"]).filter(pk=project.pk).exists()
    approval_record(project=project, actor=county_lead, doc_number="昌市发改〔2025〕3号",
                    approval_date=dt.date(2025, 3, 3), approved_amount="300000")
    assert _told("待安排预算") == set()
    assert [(i.queue, i.project.pk) for i in work_queue(county_lead)] == [("budget", project.pk)]


@pytest.mark.django_db
def test_drafts_and_projects_in_review_stay_out_of_ndrc_and_finance_view(make_project, demo_users, clock, client):
    """Only the opinion (or the Art. 16 registration) brings a project to them on a path without their task."""
    from tests.projects.builders import make_project as draft_project

    draft = draft_project(demo_users["applicant"], name="保密草稿", year=2026)
    in_review = make_project(name="审查中的项目")
    review_route(project=in_review, actor=demo_users["reviewer"], assessment=assessment(
        "security_review", SECURITY, expert_review=False))
    for username in ("ndrc", "finance"):
        client.force_login(demo_users[username])
        for project in (draft, in_review):
            assert client.get(f"/reviews/projects/{project.pk}/").status_code == 404, (username, project.name)
            assert client.get(f"/projects/{project.pk}/").status_code == 404, (username, project.name)
            assert client.get(f"/api/v1/projects/{project.pk}").status_code == 404, (username, project.name)
        assert _queue(client, demo_users, username) == []
