"""Who sees which project — the selector, every page and every endpoint (IDOR matrix)."""

from __future__ import annotations

import pytest

from tests.projects.builders import make_project, submitted_project
from tongchou.accounts.models import Organisation, Role, User
from tongchou.projects.models import Project, ProjectAttachment, Status
from tongchou.projects.selectors import projects_visible_to

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(username: str, org_code: str, role: str, **extra) -> User:
    user = User.objects.create(username=username, organisation=Organisation.objects.get(code=org_code), role=role,
                               **extra)
    user.set_password("Tongchou#2025")
    user.save()
    return user


@pytest.fixture
def world(demo_users):
    """Projects of several units, levels and states; returns name → project and the extra users."""
    u = dict(demo_users)
    u["parkapp"] = _user("parkapp", "zhundong-digital", Role.APPLICANT)
    u["hutubiapp"] = _user("hutubiapp", "hutubi-edu", Role.APPLICANT)
    u["hutubibureau"] = _user("hutubibureau", "hutubi-digital", Role.BUREAU_REVIEWER)
    u["reviewer_cls"] = _user("reviewer_cls", "cj-digital", Role.BUREAU_REVIEWER, classified_access=True)
    p = {
        # submitted joint review: routed to all five members
        "edu_joint": submitted_project(u["applicant"], name="教育专网整合", construction_cost=1_200_000),
        # draft joint review: routed to nobody yet
        "edu_draft": make_project(u["applicant"], name="智慧校园草稿", construction_cost=3_000_000),
        # submitted self procurement: no member reviewers
        "medins_small": submitted_project(u["applicant2"], name="医保小程序", construction_cost=300_000),
        # submitted classified: security review (crypto, public security)
        "edu_classified": submitted_project(u["applicant"], name="涉密档案系统", construction_cost=300_000,
                                            classified=True),
        "county": submitted_project(u["countyapp"], name="昌吉市教育云", construction_cost=800_000),
        "county_other": make_project(u["hutubiapp"], name="呼图壁县学籍系统", construction_cost=100_000),
        "park": submitted_project(u["parkapp"], name="准东园区安全生产监测", construction_cost=2_500_000),
        # ADR 0165: after the opinion (or the Art. 16 registration) NDRC and finance see a project on any path
        "edu_review_sec": _moved(submitted_project(u["applicant"], name="视频会商系统"), Status.UNDER_REVIEW, SECURITY),
        "edu_opinion_sec": _moved(submitted_project(u["applicant"], name="政务外网终端准入"), Status.OPINION_ISSUED,
                                  SECURITY),
        "medins_approved": _moved(submitted_project(u["applicant2"], name="医保档案数字化", construction_cost=300_000),
                                  Status.APPROVED, ""),
        "county_opinion": _moved(submitted_project(u["countyapp"], name="昌吉市校园安防", construction_cost=300_000),
                                 Status.OPINION_ISSUED, ""),
    }
    return u, p


SECURITY = ",crypto_bureau,digital_bureau,public_security,"


def _moved(project, status: str, reviewer_codes: str):
    """The selector reads status and reviewer codes only; the review steps themselves are tested in tests/reviews."""
    Project.objects.filter(pk=project.pk).update(status=status, reviewer_codes=reviewer_codes)
    project.refresh_from_db()
    return project


EDU_SEC = {"edu_review_sec", "edu_opinion_sec"}
LATER = EDU_SEC | {"medins_approved", "county_opinion"}
EXPECTED = {
    "applicant": {"edu_joint", "edu_draft", "edu_classified"} | EDU_SEC,
    "leader": {"edu_joint", "edu_draft", "edu_classified"} | EDU_SEC,
    "applicant2": {"medins_small", "medins_approved"},
    "countyapp": {"county", "county_opinion"},
    "parkapp": {"park"},
    "hutubiapp": {"county_other"},
    # prefecture bureau: everything except classified (no classified_access)
    "reviewer": {"edu_joint", "edu_draft", "medins_small", "county", "county_other", "park"} | LATER,
    "bureau": {"edu_joint", "edu_draft", "medins_small", "county", "county_other", "park"} | LATER,
    "reviewer_cls": {"edu_joint", "edu_draft", "medins_small", "edu_classified", "county", "county_other",
                     "park"} | LATER,
    # county bureaus: their county only
    "county": {"county", "county_opinion"},
    "hutubibureau": {"county_other"},
    # member units: submitted prefecture or park projects whose assessment names them; classified ones need
    # the entitlement. Never a county project (ADR 0192): its review tasks are the county bureau's (Art. 19, 36),
    # though "county" names all five members in its assessment
    "crypto": {"edu_joint", "park"} | EDU_SEC,
    "police": {"edu_joint", "park"} | EDU_SEC,
    # …and NDRC and finance every prefecture or park project awaiting or past their decision (ADR 0165): not
    # drafts, not projects still in a review without their task, not a county's (its own offices decide)
    "ndrc": {"edu_joint", "park", "edu_opinion_sec", "medins_approved"},
    "finance": {"edu_joint", "park", "edu_opinion_sec", "medins_approved"},
    "expert": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
}


@pytest.mark.django_db
def test_the_selector_shows_each_role_exactly_its_projects(world):
    users, projects = world
    names = {v.pk: k for k, v in projects.items()}
    for username, expected in EXPECTED.items():
        seen = {names[pk] for pk in projects_visible_to(users[username]).values_list("pk", flat=True)}
        assert seen == expected, username


@pytest.mark.django_db
def test_a_member_unit_with_classified_access_sees_the_classified_project_routed_to_it(world):
    users, projects = world
    crypto = users["crypto"]
    crypto.classified_access = True
    crypto.save()
    assert projects_visible_to(crypto).filter(pk=projects["edu_classified"].pk).exists()
    # …but finance is not among its reviewers, entitlement or not
    finance = users["finance"]
    finance.classified_access = True
    finance.save()
    assert not projects_visible_to(finance).filter(pk=projects["edu_classified"].pk).exists()


@pytest.mark.django_db
def test_a_classified_project_awaiting_the_budget_needs_finances_entitlement(world):
    users, projects = world
    project = _moved(submitted_project(users["applicant"], name="涉密预算项目", construction_cost=300_000,
                                       classified=True), Status.APPROVED, SECURITY)
    finance = users["finance"]
    assert not projects_visible_to(finance).filter(pk=project.pk).exists()
    finance.classified_access = True
    finance.save()
    assert projects_visible_to(finance).filter(pk=project.pk).exists()


@pytest.mark.django_db
def test_the_superuser_flag_grants_nothing(world):
    users, projects = world
    applicant2 = users["applicant2"]
    applicant2.is_superuser = True
    applicant2.is_staff = True
    applicant2.save()
    assert set(projects_visible_to(applicant2)) == {projects["medins_small"], projects["medins_approved"]}
    auditor = users["auditor"]
    auditor.is_superuser = True
    auditor.save()
    assert not projects_visible_to(auditor).exists()


@pytest.mark.django_db
def test_a_disabled_account_sees_nothing(world):
    users, _ = world
    users["applicant"].is_active = False
    assert not projects_visible_to(users["applicant"]).exists()


def _attach(project, actor):
    import io

    from tongchou.projects.attachments import attachment_add

    return attachment_add(project=project, actor=actor, material="feasibility_study", upload=io.BytesIO(PDF),
                          filename="可研.pdf")


@pytest.mark.django_db
def test_every_page_and_endpoint_answers_404_for_a_project_outside_the_users_view(world):
    from django.test import Client

    users, projects = world
    draft = projects["edu_draft"]
    attachment = _attach(draft, users["applicant"])
    for username in sorted(EXPECTED):
        _check_one_user(Client(), users, projects, draft, attachment, username)


def _check_one_user(client, users, projects, draft, attachment, username):
    user = users[username]
    client.force_login(user)
    if user.needs_second_factor:
        session = client.session
        session["otp_verified"] = True
        session.save()
    list_page = client.get("/projects/").content.decode()
    api_list = client.get("/api/v1/projects?limit=200")
    assert api_list.status_code == 200
    api_codes = {item["code"] for item in api_list.json()["items"]}
    for name, project in projects.items():
        visible = name in EXPECTED[username]
        assert (project.code in list_page) is visible, (username, name, "list page")
        assert (project.code in api_codes) is visible, (username, name, "api list")
        detail = client.get(f"/projects/{project.pk}/")
        assert detail.status_code == (200 if visible else 404), (username, name, "detail page")
        api_detail = client.get(f"/api/v1/projects/{project.pk}")
        assert api_detail.status_code == (200 if visible else 404), (username, name, "api detail")
        if not visible:
            assert project.name not in detail.content.decode()
            assert project.name not in api_detail.content.decode()
            assert client.get(f"/projects/{project.pk}/edit/").status_code == 404
            assert client.post(f"/projects/{project.pk}/assess/", {}).status_code == 404
            assert client.post(f"/projects/{project.pk}/submit/").status_code == 404
            assert client.post(f"/api/v1/projects/{project.pk}/submit", {}, content_type="application/json").status_code == 404
            assert client.patch(f"/api/v1/projects/{project.pk}", {"version": 1, "name": "x"},
                                content_type="application/json").status_code == 404
            assert client.post(f"/api/v1/projects/{project.pk}/assess", {}, content_type="application/json").status_code == 404
    draft_visible = "edu_draft" in EXPECTED[username]
    download = client.get(f"/projects/{draft.pk}/attachments/{attachment.pk}/")
    api_download = client.get(f"/api/v1/projects/{draft.pk}/attachments/{attachment.pk}")
    assert download.status_code == (200 if draft_visible else 404)
    assert api_download.status_code == (200 if draft_visible else 404)
    upload = client.post(f"/projects/{draft.pk}/attachments/", {"material": "basic_info"})
    if not draft_visible:
        assert upload.status_code == 404
    assert ProjectAttachment.objects.count() == 1


@pytest.mark.django_db
def test_the_prefecture_bureau_reads_a_county_project_but_cannot_edit_it(world, client):
    users, projects = world
    client.force_login(users["reviewer"])
    county = projects["county_other"]
    assert client.get(f"/projects/{county.pk}/").status_code == 200
    response = client.get(f"/projects/{county.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/projects/{county.pk}/"
    api = client.patch(f"/api/v1/projects/{county.pk}", {"version": 1, "name": "改名"}, content_type="application/json")
    assert api.status_code == 403
    county.refresh_from_db()
    assert county.name == "呼图壁县学籍系统"
