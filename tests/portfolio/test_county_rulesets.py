"""Art. 19, 36: a county bureau runs its county's projects under its own rule set, or the prefecture's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.portfolio.helpers import create_and_submit
from tongchou.audit.models import AuditEvent
from tongchou.portfolio.models import JurisdictionRuleset, LocalRuleset
from tongchou.portfolio.rulesets import ruleset_for
from tongchou.projects.models import Project

PREFECTURE = Path(__file__).resolve().parents[2] / "src/tongchou/policy/rulesets/changji-2025-trial.yaml"


def county_ruleset(ruleset_id: str = "fukang-2025-local", valid_from: str = "2025-02-01",
                   threshold: int = 1000000) -> bytes:
    """The prefecture's rule set with Fukang's own joint-review threshold (100万) and its own id and start."""
    text = PREFECTURE.read_text(encoding="utf-8")
    text = text.replace("id: changji-2025-trial", f"id: {ruleset_id}", 1)
    text = text.replace("title: 昌吉州数字政府项目建设管理办法（试行）", "title: 阜康市数字政府项目建设管理办法（参照州办法）", 1)
    text = text.replace("valid_from: 2025-01-17", f"valid_from: {valid_from}", 1)
    text = text.replace("    value: 500000\n", f"    value: {threshold}\n", 1)
    assert f"id: {ruleset_id}" in text and f"value: {threshold}" in text
    return text.encode("utf-8")


@pytest.fixture
def local_dir(tmp_path, rulesets_dir):
    folder = tmp_path / "rulesets"
    folder.mkdir()
    rulesets_dir(folder)  # reloads the registry; the fixture restores the built-in rule sets afterwards
    return folder


def upload(api, username: str, data: bytes, name: str = "fukang.yaml"):
    return api(username, "post", "/portfolio/rulesets", {"file": SimpleUploadedFile(name, data)}, multipart=True)


@pytest.mark.django_db
def test_a_county_with_its_own_rule_set_is_assessed_under_it(api, local_dir, clock):
    status, body = upload(api, "fklead", county_ruleset())
    assert status == 201, body
    assert body == {"ruleset_id": "fukang-2025-local", "jurisdiction": "阜康市", "sha256": body["sha256"]}
    assert (local_dir / "fukang-2025-local.yaml").read_bytes() == county_ruleset()
    assert JurisdictionRuleset.objects.get(jurisdiction="阜康市").ruleset_id == "fukang-2025-local"

    # 800,000 元: under Fukang's 100万 threshold the unit procures itself; Changji (the prefecture's 50万) goes
    # to joint review; a prefecture project applied after Fukang's rule set began is still under the prefecture's.
    fukang = create_and_submit(api, "fkapp", "阜康市智慧教育平台", "800000")
    changji = create_and_submit(api, "countyapp", "昌吉市智慧教育平台", "800000")
    prefecture = create_and_submit(api, "applicant", "州智慧教育平台", "800000")
    assessed = {pk: api(user, "get", f"/projects/{pk}")[1]["assessment"]
                for pk, user in ((fukang, "fkapp"), (changji, "countyapp"), (prefecture, "applicant"))}
    assert assessed[fukang]["ruleset_id"] == "fukang-2025-local"
    assert assessed[fukang]["result"]["review_path"] == "self_procurement"
    assert assessed[changji]["ruleset_id"] == "changji-2025-trial"
    assert assessed[changji]["result"]["review_path"] == "joint_review"
    assert assessed[prefecture]["ruleset_id"] == "changji-2025-trial"
    assert ruleset_for(Project.objects.get(pk=prefecture)) == "changji-2025-trial"

    # The county bureau then runs the whole cycle under it: its part is registered for self-procurement.
    status, routed = api("fkreviewer", "post", f"/reviews/projects/{fukang}/route", {})
    assert (status, routed["status"]) == (200, "approved"), routed

    # Going back to the prefecture's rule set is one choice; the next assessment follows it.
    status, body = api("fklead", "put", "/portfolio/ruleset", {"ruleset_id": None})
    assert (status, body["adopts_prefecture"]) == (200, True)
    assert ruleset_for(Project.objects.get(pk=fukang)) == "changji-2025-trial"
    events = list(AuditEvent.objects.filter(event__startswith="portfolio.").values_list("event", flat=True))
    assert events == ["portfolio.ruleset_upload", "portfolio.jurisdiction_ruleset_set",
                      "portfolio.jurisdiction_ruleset_set"]


@pytest.mark.django_db
def test_a_bad_or_clashing_rule_set_is_refused_and_nothing_is_kept(api, local_dir, clock):
    status, body = upload(api, "fklead", b"format: 1\nid: [unclosed\n")
    assert status == 400 and body["field"] == "file" and "规则集文件有误" in body["detail"]
    status, body = upload(api, "fklead", county_ruleset().replace(b"joint_review_threshold", b"joint_threshold"))
    assert status == 400 and "joint_threshold" in body["detail"]
    # Starting the same day as the prefecture's makes the registry ambiguous.
    status, body = upload(api, "fklead", county_ruleset(valid_from="2025-01-17"))
    assert status == 400 and "valid_from" in body["detail"]
    status, body = upload(api, "fklead", county_ruleset(ruleset_id="changji-2025-trial"))
    assert status == 409
    # Only a county bureau sets its county's rule set; an unknown id is refused naming the field.
    for username in ("bureau", "fkapp", "finance"):
        assert upload(api, username, county_ruleset())[0] == 403, username
    status, body = api("fklead", "put", "/portfolio/ruleset", {"ruleset_id": "no-such-ruleset"})
    assert status == 400 and body["field"] == "ruleset_id"
    assert not LocalRuleset.objects.exists() and not JurisdictionRuleset.objects.exists()
    assert [p.name for p in local_dir.iterdir()] == []
    # Another county may not adopt Fukang's rule set.
    assert upload(api, "fklead", county_ruleset())[0] == 201
    status, body = api("cjlead", "put", "/portfolio/ruleset", {"ruleset_id": "fukang-2025-local"})
    assert status == 403


@pytest.mark.django_db
def test_without_a_rule_set_folder_uploads_are_refused_in_chinese(api, rulesets_dir, clock):
    rulesets_dir()
    status, body = upload(api, "fklead", county_ruleset())
    assert status == 503 and "TONGCHOU_RULESETS_DIR" in body["detail"]


@pytest.mark.django_db
def test_a_worker_that_loaded_the_registry_before_the_upload_reloads_it(api, local_dir, clock):
    """Another process answers after the upload: its cached registry lacks the county's rule set."""
    from tongchou.policy import Registry
    from tongchou.policy import registry as policy_registry

    assert upload(api, "fklead", county_ruleset())[0] == 201
    # this process plays the other one: its registry was loaded before the file arrived
    policy_registry._default = Registry.from_dirs([policy_registry.BUILTIN_DIR])
    fukang = create_and_submit(api, "fkapp", "阜康市智慧教育平台", "800000")
    assert api("fkapp", "get", f"/projects/{fukang}")[1]["assessment"]["ruleset_id"] == "fukang-2025-local"
