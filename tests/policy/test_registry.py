"""Rule sets as data: a revised rule set is a new file, picked up without code changes."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.policy.builders import assess, codes, facts, finding
from tongchou.policy import (
    Registry,
    RulesetError,
    assess_facts,
    default_registry,
    load_ruleset,
    reload_default_registry,
)
from tongchou.policy.registry import BUILTIN_DIR, ENV_VAR, configured_dirs

HERE = Path(__file__).resolve().parent
REVISED_DIR = HERE / "rulesets"
TRIAL_FILE = BUILTIN_DIR / "changji-2025-trial.yaml"


@pytest.fixture
def revised(rulesets_dir):
    rulesets_dir(REVISED_DIR)


def test_the_trial_rule_set_holds_every_parameter_with_unit_and_article():
    ruleset = load_ruleset(TRIAL_FILE)
    assert ruleset.id == "changji-2025-trial"
    assert (ruleset.valid_from, ruleset.valid_until) == (date(2025, 1, 17), date(2026, 1, 16))
    assert ruleset.issuing_body and ruleset.title and ruleset.issue_date == date(2025, 1, 17)
    p = ruleset.parameters
    assert (p.joint_review_threshold, p.security_review_ceiling) == (500000, 2000000)
    assert (p.max_construction_period, p.min_free_om_period, p.min_hardware_term) == (36, 12, 60)
    assert p.procurement_window == 1 and str(p.om_cost_cap_ratio) == "0.1"
    for parameter in ruleset.catalogue.values():
        assert parameter.unit and parameter.article.startswith("第")
    assert ruleset.sha256 == hashlib.sha256(TRIAL_FILE.read_bytes()).hexdigest()


def test_the_revised_rule_set_is_chosen_by_application_date(revised):
    result = assess(application_date="2026-02-01", construction_cost=800000)
    assert result["ruleset"] == {"id": "changji-2026-revised-test", "valid_from": "2026-01-17",
                                 "valid_until": None, "in_force": True}
    assert result["review_path"] == "self_procurement"  # its threshold is 1,000,000
    assert "ART38-OUTSIDE-TRIAL" not in codes(result)
    assert result["receipt"]["ruleset_id"] == "changji-2026-revised-test"
    expected_hash = hashlib.sha256((REVISED_DIR / "changji-2026-revised-test.yaml").read_bytes()).hexdigest()
    assert result["receipt"]["ruleset_sha256"] == expected_hash


def test_its_other_parameters_apply_too(revised):
    result = assess(application_date="2026-02-01", construction_cost=1000000)
    assert result["review_path"] == "joint_review"
    assert "1,000,000元" in finding(result, "ART17-BOUNDARY")["message"]
    result = assess(application_date="2026-02-01", construction_period_months=25, annual_om_cost=140000,
                    construction_cost=1000000)
    assert "ART23-CONSTRUCTION-PERIOD" in codes(result)
    assert "ART29-OM-CAP" not in codes(result)  # 15 % there


@pytest.mark.parametrize(
    ("application_date", "ruleset_id", "in_force"),
    [
        ("2025-01-16", "changji-2025-trial", False),
        ("2025-01-17", "changji-2025-trial", True),
        ("2026-01-16", "changji-2025-trial", True),
        ("2026-01-17", "changji-2026-revised-test", True),
        ("2031-01-01", "changji-2026-revised-test", True),
    ],
)
def test_the_handover_between_rule_sets(revised, application_date, ruleset_id, in_force):
    result = assess(application_date=application_date)
    assert result["ruleset"]["id"] == ruleset_id
    assert result["ruleset"]["in_force"] is in_force
    assert ("ART38-OUTSIDE-TRIAL" in codes(result)) is (not in_force)


def test_without_the_revision_the_trial_set_speaks_out_of_force():
    result = assess(application_date="2026-02-01", construction_cost=800000)
    assert result["ruleset"]["id"] == "changji-2025-trial" and result["ruleset"]["in_force"] is False
    assert result["review_path"] == "joint_review"


def test_what_if_under_a_forced_rule_set(revised):
    result = assess_facts(facts(application_date="2025-06-01", construction_cost=800000),
                          ruleset_id="changji-2026-revised-test")
    assert result["ruleset"]["id"] == "changji-2026-revised-test" and result["ruleset"]["in_force"] is False
    assert result["review_path"] == "self_procurement"
    assert codes(result)["ART38-OUTSIDE-TRIAL"] == "warn"


def test_several_directories_separated_by_colons(tmp_path, rulesets_dir):
    other = tmp_path / "more"
    other.mkdir()
    text = (REVISED_DIR / "changji-2026-revised-test.yaml").read_text(encoding="utf-8")
    text = text.replace("id: changji-2026-revised-test", "id: changji-2027").replace(
        "valid_from: 2026-01-17", "valid_from: 2027-01-17")
    (other / "changji-2027.yaml").write_text(text, encoding="utf-8")
    rulesets_dir(REVISED_DIR, other)
    assert [r.id for r in default_registry().rulesets] == ["changji-2025-trial", "changji-2026-revised-test",
                                                           "changji-2027"]
    assert assess(application_date="2027-03-01")["ruleset"]["id"] == "changji-2027"
    assert assess(application_date="2026-03-01")["ruleset"]["id"] == "changji-2026-revised-test"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = TRIAL_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("id: changji-2025-trial", "", "id"),
        ("title:", "titel:", "titel"),
        ("valid_from: 2025-01-17", "valid_from: 2025-02-30", "valid_from"),
        ("valid_until: 2026-01-16", "valid_until: 2024-01-16", "valid_until"),
        ("    value: 500000", "    value: -5", "parameters.joint_review_threshold.value"),
        ("    value: 500000", "    value: \"50万\"", "parameters.joint_review_threshold.value"),
        ("    value: 36", "    value: 36.5", "parameters.max_construction_period.value"),
        ("    value: 0.10", "    value: 10", "parameters.om_cost_cap_ratio.value"),
        ("    unit: 月\n    article: 第二十三条\n    note: 建设开发类", "    article: 第二十三条\n    note: 建设开发类",
         "parameters.max_construction_period.unit"),
        ("  max_construction_period:", "  max_construction_periods:", "parameters.max_construction_periods"),
        ("    value: [basic_info, feasibility_study]", "    value: [basic_info, feasibility]",
         "parameters.required_materials_always.value"),
        ("format: 1", "format: 2", "format"),
        ("parameters:", "parameters: 3\nunused:", "unused"),
    ],
)
def test_the_loader_names_the_bad_key(tmp_path, old, new, key):
    with pytest.raises(RulesetError) as caught:
        load_ruleset(_broken(tmp_path, old, new))
    assert caught.value.key == key
    assert key in str(caught.value) and "broken.yaml" in str(caught.value)


def test_the_loader_rejects_non_yaml_and_non_mappings(tmp_path):
    for text in ("id: [unclosed", "- a\n- b\n", ""):
        path = tmp_path / "x.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RulesetError):
            load_ruleset(path)
    with pytest.raises(RulesetError):
        load_ruleset(tmp_path / "missing.yaml")


def test_duplicate_ids_and_same_start_dates_are_refused(tmp_path):
    shutil.copy(TRIAL_FILE, tmp_path / "copy.yaml")
    with pytest.raises(RulesetError, match="重复"):
        Registry.from_dirs([BUILTIN_DIR, tmp_path])
    text = TRIAL_FILE.read_text(encoding="utf-8").replace("id: changji-2025-trial", "id: other")
    (tmp_path / "copy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError, match="同日生效"):
        Registry.from_dirs([BUILTIN_DIR, tmp_path])


def test_a_missing_directory_is_an_error_and_the_failure_is_not_cached(tmp_path, rulesets_dir):
    with pytest.raises(RulesetError, match="TONGCHOU_RULESETS_DIR"):
        rulesets_dir(tmp_path / "nowhere")
    with pytest.raises(RulesetError, match="TONGCHOU_RULESETS_DIR"):
        default_registry()  # tried again, not remembered as empty
    (tmp_path / "nowhere").mkdir()  # the operator fixes the folder: the next use loads
    assert [r.id for r in default_registry().rulesets] == ["changji-2025-trial"]


def test_the_cli_lists_the_revision(revised):
    from tests.policy.test_cli import run

    code, out, _ = run("rulesets", env={"TONGCHOU_RULESETS_DIR": str(REVISED_DIR)})
    assert code == 0 and "changji-2025-trial" in out and "changji-2026-revised-test" in out
    assert "长期" in out


def test_naming_the_built_in_folder_again_does_no_harm(rulesets_dir):
    rulesets_dir(BUILTIN_DIR, REVISED_DIR, REVISED_DIR)
    assert [r.id for r in default_registry().rulesets] == ["changji-2025-trial", "changji-2026-revised-test"]


def test_the_variable_is_read_once_and_again_only_on_reload(rulesets_dir, monkeypatch):
    """No per-call environment read: a changed variable takes effect at reload_default_registry()."""
    rulesets_dir()
    loaded = default_registry()
    assert [r.id for r in loaded.rulesets] == ["changji-2025-trial"] and configured_dirs() == []
    monkeypatch.setenv(ENV_VAR, str(REVISED_DIR))
    assert default_registry() is loaded and configured_dirs() == []
    assert assess(application_date="2026-02-01")["ruleset"]["id"] == "changji-2025-trial"
    reloaded = reload_default_registry()
    assert reloaded is not loaded and default_registry() is reloaded
    assert configured_dirs() == [REVISED_DIR]
    assert assess(application_date="2026-02-01")["ruleset"]["id"] == "changji-2026-revised-test"
