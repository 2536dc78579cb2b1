"""The IDOR matrix: every API route with an object id in its path, tried by a user of another organisation
and by an anonymous client against objects that belong to 州教育局. Data-driven from the OpenAPI schema: a
new parametrised route without a row in OWNED or NOT_OWNED fails `test_every_parametrised_route_has_a_case`.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command

from tests.projects.builders import make_project, submitted_project
from tongchou.accounts.models import Organisation

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
OPINION_FILE = "州教育局审查保密附件.pdf"
SUPPLEMENT_FILE = "州教育局补正保密材料.pdf"
RECTIFY_TEXT = "州教育局整改保密要求"


def _named(name: str) -> io.BytesIO:
    handle = io.BytesIO(PDF)
    handle.name = name
    return handle


def _routes() -> list[tuple[str, str]]:
    from tongchou.api.urls import api

    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


PARAM = re.compile(r"\{(\w+)\}")

# Path parameters naming an object that belongs to an organisation (or one person): each must refuse a
# stranger. The value says how the fixture finds the victim's object.
OWNED = {
    "project_id", "attachment_id", "notification_id", "obligation_id", "expert_id", "draw_id", "member_id",
    "round_id", "task_id", "supplement_id", "milestone_id", "request_id", "system_id",
    "call_id", "need_id", "shared_id", "document_id", "job_id", "opinion_attachment_id", "supplement_attachment_id",
    "participant_id", "order_id", "assessment_id", "report_id",
}
# Path parameters that are not objects of anyone: shared reference data, with the reason.
NOT_OWNED = {
    "year": "工作日历年份：全州共用的参考数据（写入仅限系统管理员，见 tests/calendar）",
    "day": "工作日历日期：全州共用的参考数据（写入仅限系统管理员，见 tests/calendar）",
    "code": "服务时限代码：全州共用的配置（写入仅限系统管理员，见 tests/obligations）",
    "action": "生命周期动作名（退回补正、不予支持、撤回、登记为紧急项目）：动词而非对象，对象是路径中的 project_id",
    "key": "统计图表代码（如 by_status）：报表名称，不是对象；数据按用户的范围计算（见 tests/reports）",
}
NOT_OWNED_VALUES = {"year": "2026", "day": "2026-10-01", "code": "x", "action": "withdraw", "key": "by_status"}


def test_every_parametrised_route_has_a_case():
    missing = sorted({p for _m, path in _routes() for p in PARAM.findall(path)} - OWNED - set(NOT_OWNED))
    assert not missing, f"new path parameters with no IDOR case: {missing}"


@pytest.fixture
def world(db, client, demo_users, settings, tmp_path) -> dict[str, Any]:
    """The demo data plus the objects the demo does not make, all owned by 州教育局 (applicant)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from tongchou.notifications.models import Notification
    from tongchou.projects.attachments import attachment_add
    from tongchou.projects.models import Project
    from tongchou.reviews.models import OpinionTask, ReviewRound

    call_command("demo", stdout=io.StringIO())
    edu = Organisation.objects.get(code="cj-edu")
    applicant = demo_users["applicant"]
    draft = make_project(applicant, name="州教育局保密草稿项目")
    attachment = attachment_add(project=draft, actor=applicant, material="feasibility_study",
                                upload=io.BytesIO(PDF), filename="机密方案.pdf")
    victim = Project.objects.filter(unit=edu, status="under_review").first()
    assert victim is not None
    review_round = ReviewRound.objects.filter(project=victim).first()
    ids: dict[str, Any] = {
        "project_id": [draft.pk, victim.pk],
        "attachment_id": [attachment.pk],
        "round_id": [review_round.pk] if review_round else [],
        "task_id": list(OpinionTask.objects.filter(round__project=victim).values_list("pk", flat=True)[:3]),
        "notification_id": list(Notification.objects.exclude(recipient__username__in=["applicant2", "countyapp"])
                                .values_list("pk", flat=True)[:3]),
    }
    _draw_for(client, demo_users, victim)
    _delivery_and_supplement_for(client, demo_users, victim, applicant)
    _more_ids(ids, victim, edu)
    names = [draft.name, victim.name, victim.code, OPINION_FILE, SUPPLEMENT_FILE, RECTIFY_TEXT]
    names += _demand_portfolio_and_reports_for(ids, applicant, demo_users)
    return {"ids": ids, "names": names, "project": victim, "draft": draft}


def _draw_for(client, demo_users, victim) -> None:
    """An expert draw for the victim's project, prepared and executed through the API by the bureau."""
    import json

    from tests.experts.conftest import joint_payload

    client.force_login(demo_users["bureau"])
    body = joint_payload(victim, vendors=[], reserves=0)
    prepared = client.post("/api/v1/experts/draws", data=json.dumps(body), content_type="application/json")
    assert prepared.status_code == 201, prepared.content.decode()
    executed = client.post(f"/api/v1/experts/draws/{prepared.json()['id']}/execute")
    assert executed.status_code == 200, executed.content.decode()
    client.logout()


def _delivery_and_supplement_for(client, demo_users, victim, applicant) -> None:
    """A milestone and an O&M funding request on a 州教育局 project in delivery, and a member unit's
    supplement request on the victim's review — each through the API, as the owners make them."""
    import json

    from tongchou.projects.models import Project
    from tongchou.reviews.models import OpinionTask

    def post(url: str, body: dict) -> Any:
        response = client.post(url, data=json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 201), (url, response.content.decode())
        return response

    delivering = make_project(applicant, name="州教育局实施中项目")
    Project.objects.filter(pk=delivering.pk).update(status="implementation")
    client.force_login(applicant)
    post(f"/api/v1/delivery/projects/{delivering.pk}/milestones", {"name": "系统上线", "planned_on": "2026-12-20"})
    # a 密评 the unit recorded, and public security's inspection and rectification order on it (ADR 0180)
    post(f"/api/v1/delivery/projects/{delivering.pk}/crypto-assessments",
         {"assessed_on": "2026-11-01", "assessor": "某密评机构", "result": "passed"})
    client.force_login(demo_users["police"])
    inspection = post(f"/api/v1/delivery/projects/{delivering.pk}/inspections",
                      {"scope": "风险排查", "findings": RECTIFY_TEXT, "adverse": True}).json()
    post(f"/api/v1/delivery/projects/{delivering.pk}/rectifications",
         {"due_on": "2099-12-31", "requirements": RECTIFY_TEXT, "inspection_id": inspection["id"]})
    client.force_login(applicant)
    Project.objects.filter(pk=delivering.pk).update(status="in_operation")
    client.post(f"/api/v1/delivery/projects/{delivering.pk}/om-requests",
                data=json.dumps({"year": 2027, "amount": "50000"}), content_type="application/json")
    # a monitoring report the unit owes finance and has submitted for its review (Art. 25, ADR 0191)
    post(f"/api/v1/delivery/projects/{delivering.pk}/performance-reports",
         {"kind": "monitoring", "year": 2026, "period": "上半年", "due_on": "2026-07-15"})
    post(f"/api/v1/delivery/projects/{delivering.pk}/performance/monitoring",
         {"year": 2026, "period": "上半年", "progress_percent": "60", "budget": "100000", "spent": "50000"})
    task = OpinionTask.objects.filter(round__project=victim, opinion__isnull=True).exclude(
        member="digital_bureau").first()
    if task is not None:
        writer = {"crypto_bureau": "crypto", "public_security": "police", "development_reform": "ndrc",
                  "finance": "finance"}[task.member]
        client.force_login(demo_users[writer])
        asked = post(f"/api/v1/reviews/tasks/{task.pk}/supplements", {"question": "请补充等保定级备案材料。"}).json()
        # a file on that member's opinion in the making, and one the unit prepares for its answer (ADR 0130)
        response = client.post(f"/api/v1/reviews/tasks/{task.pk}/attachments", {"file": _named(OPINION_FILE)})
        assert response.status_code == 201, response.content.decode()
        client.force_login(applicant)
        response = client.post(f"/api/v1/reviews/supplements/{asked['id']}/attachments",
                               {"file": _named(SUPPLEMENT_FILE)})
        assert response.status_code == 201, response.content.decode()
    client.logout()
    import datetime as dt

    from tongchou.obligations.services import obligation_open_from_service_level

    obligation_open_from_service_level(project=victim, level_code="SLA-COMPLETENESS-CHECK",
                                       start=dt.date(2026, 11, 30))


def _demand_portfolio_and_reports_for(ids: dict[str, Any], applicant, demo_users) -> list[str]:
    """A county's yearly call with a need of its unit, a shared project of 州教育局 with a document, and
    a report job that applicant requested — each through its domain's service. The call is 阜康市's, so
    that both the prefecture unit (applicant2) and the 昌吉市 unit (countyapp) are strangers to it: a
    county bureau's call is seen only by its own county's units and the bureaus (demand/selectors.py)."""
    import datetime as dt

    from django.utils import timezone

    from tongchou.accounts.models import Role, User
    from tongchou.demand.services import call_open, need_submit
    from tongchou.portfolio.shared import shared_document_add, shared_project_create
    from tongchou.reports.jobs import report_job_request

    def user(username: str, org_code: str, role: str) -> Any:
        return User.objects.create(username=username, display_name=username, role=role,
                                   organisation=Organisation.objects.get(code=org_code),
                                   password_changed_at=timezone.now())

    county_bureau = user("fk-bureau", "fukang-digital", Role.BUREAU_REVIEWER)
    county_unit = user("fk-applicant", "fukang-edu", Role.APPLICANT)
    call = call_open(actor=county_bureau, year=2031, deadline=timezone.now() + dt.timedelta(days=30),
                     title="阜康市保密需求征集")
    need = need_submit(actor=county_unit, call=call, data={
        "name": "阜康市保密需求", "goals": "建设目标", "content": "建设内容", "estimated_cost": "100000",
        "contact": "张三 13800000000"})
    parent = make_project(applicant, name="州教育局共建项目")
    shared = shared_project_create(parent=parent, jurisdictions=["阜康市"], actor=applicant)
    document = shared_document_add(shared=shared, title="州教育局共建保密标准", file_name="标准.pdf",
                                   data=PDF, actor=applicant)
    job = report_job_request(kind="plan", actor=applicant, year=2026)
    ids.update({"call_id": [call.pk], "need_id": [need.pk], "shared_id": [shared.pk],
                "document_id": [document.pk], "job_id": [job.pk],
                "participant_id": list(shared.participants.values_list("pk", flat=True))})
    return [call.title, need.name, parent.name, document.title]


def _more_ids(ids: dict[str, Any], victim, edu) -> None:
    from django.apps import apps

    def first(label: str, **filters: Any) -> list[int]:
        model = apps.get_model(label)
        return list(model.objects.filter(**filters).values_list("pk", flat=True)[:2])

    # not the demo expert's own record (an expert may read their own)
    ids["expert_id"] = list(apps.get_model("experts.Expert").objects.exclude(user__username="expert")
                            .values_list("pk", flat=True)[:2])
    ids["draw_id"] = first("experts.Draw")
    ids["member_id"] = first("experts.DrawMember")
    ids["supplement_id"] = first("reviews.SupplementRequest")
    ids["opinion_attachment_id"] = first("reviews.OpinionAttachment")
    ids["supplement_attachment_id"] = first("reviews.SupplementAttachment")
    ids["milestone_id"] = first("delivery.Milestone")
    ids["request_id"] = first("delivery.OMFundingRequest")
    ids["order_id"] = first("delivery.RectificationOrder")
    ids["assessment_id"] = first("delivery.CryptoAssessment")
    ids["report_id"] = first("delivery.PerformanceReport")
    ids["obligation_id"] = first("obligations.Obligation")
    ids["system_id"] = first("delivery.InventorySystem", owner=edu) or first("delivery.InventorySystem")


def _fill(path: str, ids: dict[str, Any], world) -> list[str]:
    """Every concrete URL for the route with the victim's ids (the first for each parameter)."""
    params = PARAM.findall(path)
    values = {}
    for p in params:
        if p in NOT_OWNED:
            values[p] = NOT_OWNED_VALUES[p]
        elif ids.get(p):
            values[p] = ids[p][0]
        else:
            return []  # no such object in the world: reported by test_the_matrix_reaches_most_routes
    url = path
    for p, v in values.items():
        url = url.replace("{" + p + "}", str(v))
    return [url]


def _leaks(text: str, names: list[str]) -> bool:
    """A name in the body, as written or as JSON escapes it (the API's JSON is ASCII-only: \\u961c...)."""
    import json

    return any(name in text or json.dumps(name)[1:-1] in text for name in names)


def _send(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data="{}", content_type="application/json")


def _matrix_rows():
    return [(m, p) for m, p in _routes() if set(PARAM.findall(p)) & OWNED]


STRANGERS = ["applicant2", "countyapp", "expert", "sysadmin", "secadmin", "auditor"]


@pytest.mark.django_db
def test_strangers_and_anonymous_never_get_another_units_object(client, world, login):
    reached, failures = 0, []
    for username in [None, *STRANGERS]:
        client.logout()
        if username:
            login(username)
        for method, path in _matrix_rows():
            for url in _fill(path, world["ids"], world):
                reached += 1
                response = _send(client, method, url)
                text = response.content.decode("utf-8", "replace")
                allowed = {401} if username is None else {403, 404} if method == "GET" else {403, 404, 422}
                # experts: the registry is the bureau's, not a unit's; the demo expert sees only their own.
                if response.status_code not in allowed:
                    failures.append(f"{username or 'anonymous'} {method} {url} -> {response.status_code} {text[:160]}")
                elif _leaks(text, world["names"]):
                    failures.append(f"{username or 'anonymous'} {method} {url} leaks the object: {text[:160]}")
    assert reached > 0
    assert not failures, "\n".join(failures)


def test_the_matrix_reaches_every_route(world):
    unreached = [f"{m} {p}" for m, p in _matrix_rows() if not _fill(p, world["ids"], world)]
    # Every route reaches a real object of the victim: a 404 for an id that does not exist proves nothing.
    assert not unreached, f"routes with no victim object in the world fixture: {unreached}"



LISTS = [
    "/api/v1/projects", "/api/v1/notifications", "/api/v1/obligations", "/api/v1/experts/draws",
    "/api/v1/experts/invitations", "/api/v1/reviews/desk", "/api/v1/reviews/queue", "/api/v1/reviews/panel", "/api/v1/delivery/inventory",
    "/api/v1/delivery/due-items", "/api/v1/experts/fees/ledger?year=2026",
    "/api/v1/demand/calls", "/api/v1/portfolio/shared", "/api/v1/portfolio/totals", "/api/v1/reports/figures",
    "/api/v1/reports/jobs", "/api/v1/reports/ruleset-drafts", "/api/v1/reports/unit-overview",
]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["applicant2", "countyapp"])
def test_lists_never_include_another_units_rows(client, world, login, username):
    login(username)
    leaks = []
    for url in LISTS:
        response = client.get(url)
        text = response.content.decode("utf-8", "replace")
        if response.status_code == 200 and _leaks(text, world["names"]):
            leaks.append(url)
        assert response.status_code in {200, 403, 404}, (url, response.status_code)
    assert not leaks, leaks


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["ndrc", "finance"])
def test_the_deciding_members_reach_no_draft_through_any_list_or_id(client, world, login, username):
    """ADR 0165 widens what NDRC and finance see to projects awaiting or past their decision; a unit's draft
    (and its attachment) stays out of every list and every id route, the work queue included."""
    login(username)
    draft = world["draft"]
    for url in LISTS:
        response = client.get(url)
        assert response.status_code in {200, 403, 404}, (url, response.status_code)
        assert draft.name not in response.content.decode("utf-8", "replace"), url
    for url in (f"/api/v1/projects/{draft.pk}", f"/projects/{draft.pk}/", f"/reviews/projects/{draft.pk}/",
                f"/api/v1/delivery/projects/{draft.pk}", f"/projects/{draft.pk}/delivery/"):
        assert client.get(url).status_code == 404, url


def test_every_collection_route_is_in_the_list_check():
    from tongchou.api.urls import api

    gets = {p for m, p in _routes() if m == "GET" and not PARAM.search(p)}
    exempt = {
        "/api/v1/calendar/working-days/add": "工作日计算：无机构数据",
        "/api/v1/calendar/working-days/count": "工作日计算：无机构数据",
        "/api/v1/obligations/service-levels": "服务时限配置：全州共用",
        "/api/v1/experts/categories": "专家类别：全州共用",
        "/api/v1/experts/templates": "导入模板：无数据",
        "/api/v1/experts/pool": "专家库：仅数字化发展局可见（见 tests/experts）",
        "/api/v1/experts/pool/export.xlsx": "专家库导出：仅数字化发展局（见 tests/experts）",
        "/api/v1/experts/fees/ledger.xlsx": "劳务费台账导出：同台账",
        "/api/v1/reports/rulesets": "已登记的规则集：全州共用的参考数据",
        "/api/v1/public/projects": "政务公开目录（第三十五条）：按设计公开，但不含涉密项目和草稿（见下面的公开目录测试）",
        "/api/v1/public/projects.csv": "政务公开目录导出（第三十五条）：同上",
    }
    assert api is not None
    missing = sorted(gets - {u.split('?')[0] for u in LISTS} - set(exempt))
    assert not missing, f"collection routes with no list-leak case: {missing}"


@pytest.mark.django_db
def test_the_public_register_has_no_draft_and_no_classified_project(client, world):
    """Art. 35: the open register is public by design, but a draft or a classified project is not in it."""
    from tongchou.projects.models import Project

    classified = Project.objects.filter(name="州教育局实施中项目").get()
    Project.objects.filter(pk=classified.pk).update(classified=True)
    hidden = [world["draft"].name, classified.name, classified.code]
    for url in ["/api/v1/public/projects", "/api/v1/public/projects.csv"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig", "replace")
        if url.endswith(".csv"):  # the whole register: a submitted project is in it, so the check is not empty
            assert world["project"].code in text, text[:300]
        assert not _leaks(text, hidden), (url, text[:300])


@pytest.mark.django_db
def test_the_owners_reach_the_new_victim_objects(client, world, login):
    """A control for the matrix: the victim's call, need, shared project, document and report job are real and
    open to their owners, so the strangers' 403/404 above is a refusal, not a missing object."""
    from tongchou.accounts.models import User

    ids = world["ids"]
    call, shared, document, job = (ids[k][0] for k in ("call_id", "shared_id", "document_id", "job_id"))
    cases = {
        "fk-bureau": [f"/api/v1/demand/calls/{call}", f"/api/v1/demand/calls/{call}/needs"],
        "fk-applicant": [f"/api/v1/demand/calls/{call}", f"/api/v1/demand/calls/{call}/needs"],
        "applicant": [f"/api/v1/portfolio/shared/{shared}", f"/api/v1/portfolio/shared/{shared}/documents/{document}",
                      f"/api/v1/reports/jobs/{job}"],
    }
    from tongchou.reviews.models import OpinionAttachment, SupplementAttachment

    opinion_file = OpinionAttachment.objects.select_related("task").get(pk=ids["opinion_attachment_id"][0])
    supplement_file = SupplementAttachment.objects.get(pk=ids["supplement_attachment_id"][0])
    writer = {"crypto_bureau": "crypto", "public_security": "police", "development_reform": "ndrc",
              "finance": "finance"}[opinion_file.task.member]
    cases.setdefault(writer, []).append(
        f"/api/v1/reviews/tasks/{opinion_file.task_id}/attachments/{opinion_file.pk}")
    cases["applicant"].append(
        f"/api/v1/reviews/supplements/{supplement_file.supplement_id}/attachments/{supplement_file.pk}")
    for username, urls in cases.items():
        client.force_login(User.objects.get(username=username))
        session = client.session
        session["otp_verified"] = True
        session.save()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            if url.endswith("/needs"):
                assert _leaks(response.content.decode(), ["阜康市保密需求"]), (username, url)
        client.logout()
    # The shared project's unit changes its participants: the participant routes reach a real row.
    client.force_login(User.objects.get(username="applicant"))
    response = client.post(f"/api/v1/portfolio/shared/{shared}/participants", data={"jurisdiction": "玛纳斯县"},
                           content_type="application/json")
    assert response.status_code == 201, response.content[:200]
    participant = ids["participant_id"][0]
    response = client.delete(f"/api/v1/portfolio/shared/{shared}/participants/{participant}")
    assert response.status_code == 200, response.content[:200]
    client.logout()
    # and another county's bureau (昌吉市) is not the call's bureau: it neither sees the call nor its needs
    login("county")
    for url in [f"/api/v1/demand/calls/{call}", f"/api/v1/demand/calls/{call}/needs"]:
        assert client.get(url).status_code in {403, 404}, url


COUNTY_SECRET = "昌吉市县级保密审查项目"
PREFECTURE_MEMBERS = ["ndrc", "finance", "crypto", "police"]


def _county_project_urls(pk: int) -> list[str]:
    return [f"/api/v1/projects/{pk}", f"/projects/{pk}/", f"/reviews/projects/{pk}/",
            f"/api/v1/delivery/projects/{pk}", f"/projects/{pk}/delivery/"]


@pytest.mark.django_db
def test_prefecture_member_units_do_not_reach_a_county_project_named_in_its_assessment(client, world, demo_users,
                                                                                       login):
    """ADR 0192: a county project's review tasks are its county bureau's (Art. 19, 36), so no prefecture member
    unit sees it because the assessment names its aspect — by id (404) or in any list — unless a review task
    was actually opened for that unit. The county bureau sees it."""
    from django.utils import timezone

    from tongchou.projects.models import Project
    from tongchou.reviews.models import OpinionTask, ReviewRound

    project = submitted_project(demo_users["countyapp"], name=COUNTY_SECRET, construction_cost=900_000)
    everyone = ",crypto_bureau,development_reform,digital_bureau,finance,public_security,"
    for status in ("under_review", "opinion_issued", "operating"):
        Project.objects.filter(pk=project.pk).update(status=status, reviewer_codes=everyone)
        for username in PREFECTURE_MEMBERS:
            client.logout()
            login(username)
            for url in _county_project_urls(project.pk):
                assert client.get(url).status_code == 404, (username, status, url)
            for url in LISTS:
                response = client.get(url)
                assert COUNTY_SECRET not in response.content.decode("utf-8", "replace"), (username, status, url)
    client.logout()
    login("county")
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 200
    # A task actually opened for a prefecture member unit (none is, by routing; a hand-made one here) is the
    # one way in, and only for that unit.
    Project.objects.filter(pk=project.pk).update(status="under_review")
    crypto_org = Organisation.objects.get(member_role="crypto_bureau")
    review_round = ReviewRound.objects.create(project=project, number=1, review_path="security_review",
                                              authority=Organisation.objects.get(code="changji-digital"),
                                              opened_at=timezone.now(), opened_by=demo_users["county"])
    OpinionTask.objects.create(round=review_round, member="crypto_bureau", reviewer_org=crypto_org,
                               opened_on=timezone.localdate(), due_date=timezone.localdate())
    client.logout()
    login("crypto")
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 200
    client.logout()
    login("police")
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 404
