"""Policy what-if: a draft raising the joint-review threshold to 1,000,000 moves exactly the
non-special projects from 500,000 up to (not including) 1,000,000, and nothing is adopted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.reports.conftest import make
from tongchou.accounts.models import Organisation
from tongchou.policy import default_registry
from tongchou.reports.models import RulesetDraft
from tongchou.reports.whatif import candidate_for, whatif_run

pytestmark = pytest.mark.django_db
TRIAL = Path(__file__).resolve().parents[2] / "src/tongchou/policy/rulesets/changji-2025-trial.yaml"


def draft_yaml(threshold: int = 1_000_000, ruleset_id: str = "changji-2026-draft") -> bytes:
    text = TRIAL.read_text(encoding="utf-8")
    text = text.replace("id: changji-2025-trial", f"id: {ruleset_id}", 1)
    text = text.replace("valid_from: 2025-01-17", "valid_from: 2026-01-17", 1)
    text = text.replace("valid_until: 2026-01-16", "valid_until: null", 1)
    head, sep, rest = text.partition("joint_review_threshold:")
    rest = rest.replace("value: 500000", f"value: {threshold}", 1)
    return (head + sep + rest).encode("utf-8")


@pytest.fixture
def what_if_register(demo_users):
    edu = Organisation.objects.get(code="cj-edu")
    medins = Organisation.objects.get(code="cj-medins")
    made = {
        "below": make(edu, 499_999),
        "at_old_threshold": make(edu, 500_000),
        "middle": make(medins, 800_000),
        "just_below_new": make(edu, "999999.99"),
        "at_new_threshold": make(edu, 1_000_000),
        "special_equipment": make(edu, 800_000, category="equipment"),
        "special_assessment": make(medins, 700_000, category="security_assessment"),
        "large": make(edu, 1_500_000),
        "draft": make(edu, 700_000, status="draft"),
    }
    return made


def upload(client, data: bytes, name: str = "draft.yaml"):
    return client.post("/api/v1/reports/ruleset-drafts", {"file": SimpleUploadedFile(name, data)})


def test_the_draft_moves_exactly_the_projects_between_the_thresholds(client, login, what_if_register, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    login("bureau")
    response = upload(client, draft_yaml())
    assert response.status_code == 201, response.content
    draft_id = response.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/jobs", {"kind": "whatif", "draft_id": draft_id},
                               content_type="application/json")
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/reports/jobs/{response.json()['id']}").json()
    assert job["status"] == "done", job
    result = job["result"]
    moved = {c["code"] for c in result["changed_preview"]}
    expected = {what_if_register[k].code for k in ("at_old_threshold", "middle", "just_below_new")}
    assert moved == expected
    assert result["path_moves"] == [{"from": "joint_review", "to": "self_procurement", "from_label": "联合会审",
                                     "to_label": "自行组织实施", "count": 3, "amount": "2299999.99"}]
    assert result["assessed"] == 8  # the draft is not part of the register yet
    before = {t["path"]: t["count"] for t in result["before"]}
    after = {t["path"]: t["count"] for t in result["after"]}
    assert before == {"self_procurement": 1, "joint_review": 5, "security_review": 2}
    assert after == {"self_procurement": 4, "joint_review": 2, "security_review": 2}
    assert job["download_url"]
    sheet = client.get(job["download_url"])
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_registered_rule_set_can_be_the_candidate(what_if_register, demo_users):
    """Under the rule set in force nothing moves: the comparison finds no difference with itself."""
    result = whatif_run(user=demo_users["bureau"],
                        candidate=candidate_for(user=demo_users["bureau"], ruleset_id="changji-2025-trial"))
    assert result.assessed == 8 and result.changed == []


def test_a_draft_is_validated_and_never_adopted(client, login, what_if_register):
    login("bureau")
    bad = upload(client, draft_yaml().replace(b"value: 1000000", b"value: -5"))
    assert bad.status_code == 400
    body = bad.json()
    assert body["field"] == "file" and "joint_review_threshold" in body["detail"]
    same_id = upload(client, draft_yaml(ruleset_id="changji-2025-trial"))
    assert same_id.status_code == 400 and "已被正式规则集使用" in same_id.json()["detail"]
    assert upload(client, b"\xff\xfe garbage").status_code == 400
    assert RulesetDraft.objects.count() == 0
    assert upload(client, draft_yaml()).status_code == 201
    assert "changji-2026-draft" not in {r.id for r in default_registry().rulesets}


def test_only_the_bureau_uploads_drafts_and_runs_what_ifs(client, login, what_if_register):
    login("applicant")
    assert upload(client, draft_yaml()).status_code == 403
    response = client.post("/api/v1/reports/jobs", {"kind": "whatif", "ruleset_id": "changji-2025-trial"},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.get("/reports/whatif/").status_code == 403


def test_the_what_if_page_lists_rule_sets_and_drafts(client, login, what_if_register):
    login("bureau")
    upload(client, draft_yaml())
    page = client.get("/reports/whatif/").content.decode()
    assert "changji-2025-trial" in page and "草案：changji-2026-draft" in page


def test_money_is_summed_exactly(what_if_register, demo_users):
    draft = RulesetDraft.objects.create(ruleset_id="changji-2026-draft", title="t", valid_from="2026-01-17",
                                        sha256="x", content=draft_yaml().decode(), display_name="d.yaml",
                                        uploaded_by=demo_users["bureau"])
    result = whatif_run(user=demo_users["bureau"], candidate=candidate_for(user=demo_users["bureau"], draft_id=draft.pk))
    assert result.path_moves[("joint_review", "self_procurement")].amount == Decimal("2299999.99")


@pytest.fixture
def varied_register(what_if_register, demo_users):
    """Projects exercising every fact the what-if reads, plus two the engine refuses."""
    import datetime as dt

    from tongchou.documents.models import StoredFile
    from tongchou.projects.models import Project, ProjectAttachment, ProjectMaterial

    edu = Organisation.objects.get(code="cj-edu")
    county = Organisation.objects.get(code="changji-edu")
    varied = [
        make(county, "1234567.89", funding_source="superior_special", project_type="expand", deployment="special_network",
             special_network_basis="  国家规定的专网  ", annual_om_cost=Decimal("60000.50"), emergency=False),
        make(edu, 3_000_000, exception_legal_basis=" 法律依据 ", exception_superior_consent=True,
             priority_basis=["mandated", "key_work", "mandated"], original_project_accepted=False,
             project_type="rebuild", approval_date=dt.date(2025, 3, 20), procurement_start_date=dt.date(2025, 9, 1),
             work_start_date=dt.date(2025, 10, 1), construction_period_months=12, free_om_months=24,
             contract_term_months=36, accepted=True, requests_om_funding=True, buys_server_hardware=True),
        make(edu, 200_000, exception_superior_consent=True, original_project_accepted=True, classified=True,
             category="equipment", deployment="self_hosted", leases_internet_line=True, goals_clear=False),
        make(edu, 900_000, emergency=True, application_date=dt.date(2027, 5, 1), major_security_risk=True),
        make(edu, 400_000, application_date=None, status="under_review", crypto_compliant=False),
        make(county, 0, provides_data_interface=False, involves_work_secrets=True),
    ]
    with_materials = varied[1]
    ProjectMaterial.objects.create(project=with_materials, kind="basic_info", text="基本情况")
    ProjectMaterial.objects.create(project=with_materials, kind="technical_plan", text="   ")
    ProjectMaterial.objects.create(project=varied[0], kind="om_plan", text="运维方案")
    stored = StoredFile.objects.create(storage_name="varied-1", display_name="可研.pdf", kind="pdf",
                                       content_type="application/pdf", size=1, sm3="0" * 64,
                                       created_by=demo_users["applicant"])
    ProjectAttachment.objects.create(project=with_materials, material="feasibility_study", file=stored,
                                     uploaded_by=demo_users["applicant"])
    refused = make(edu, 500_000, priority_basis=["不存在的情形"])
    blank_name = make(edu, 500_000, name="   ")
    unknown_source = make(edu, 1, name="资金来源未知")
    Project.objects.filter(pk=unknown_source.pk).update(funding_source="lottery")
    return [*what_if_register.values(), *varied, refused, blank_name, unknown_source]


def test_the_fast_facts_equal_the_reference_path_field_by_field(varied_register, demo_users):
    """The what-if's shortcut (rows → engine Facts, no dict) gives exactly what the register's own
    `project_facts` on a model instance, parsed by the engine, gives — or leaves the project to that path."""
    from tongchou.policy import FactsError, parse_facts
    from tongchou.projects.facts import project_facts
    from tongchou.projects.models import Project
    from tongchou.reports.whatif import project_facts_bulk, whatif_projects

    projects = whatif_projects(demo_users["bureau"])
    fast = list(project_facts_bulk(projects))
    assert len(fast) == projects.count() == 16  # the classified one is not the bureau's to see
    shortcut = 0
    for row, facts in fast:
        instance = Project.objects.select_related("unit").get(pk=row.pk)
        try:
            reference = parse_facts(project_facts(instance))
        except FactsError:
            reference = None
        if isinstance(facts, dict):  # left to the reference path
            with pytest.raises(FactsError) if reference is None else _nothing():
                assert parse_facts(facts) == reference
            continue
        shortcut += 1
        assert reference is not None, row.code
        assert set(vars(facts)) == set(vars(reference))
        for name, value in vars(reference).items():
            assert (type(vars(facts)[name]), vars(facts)[name]) == (type(value), value), (row.code, name)
    assert shortcut == 13  # all but the three the engine refuses


def test_the_fast_path_and_the_reference_path_give_the_same_what_if(varied_register, demo_users):
    from tongchou.projects.facts import project_facts
    from tongchou.projects.models import Project
    from tongchou.reports.whatif import project_facts_bulk, whatif_compare, whatif_projects

    bureau = demo_users["bureau"]
    draft = RulesetDraft.objects.create(ruleset_id="changji-2026-draft", title="t", valid_from="2026-01-17",
                                        sha256="x", content=draft_yaml().decode(), display_name="d.yaml",
                                        uploaded_by=bureau)
    candidate = candidate_for(user=bureau, draft_id=draft.pk)
    instances = Project.objects.filter(pk__in=whatif_projects(bureau)).select_related("unit").order_by("id")
    reference = whatif_compare(((p, project_facts(p)) for p in instances), candidate).as_dict()
    fast = whatif_compare(project_facts_bulk(whatif_projects(bureau)), candidate).as_dict()
    slow = whatif_compare(project_facts_bulk(whatif_projects(bureau), fast=False), candidate).as_dict()
    assert fast == reference == slow
    assert fast["assessed"] == 13 and fast["failed_count"] == 3 and fast["changed_count"] >= 3


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
