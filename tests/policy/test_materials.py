"""第十条: which application materials a project must submit."""

from __future__ import annotations

import pytest

from tests.policy.builders import CONSTRUCTION_MATERIALS, assess, codes, finding

SECTIONS = [
    "technical_plan",
    "intensive_construction_analysis",
    "data_sharing_analysis",
    "security_protection",
    "crypto_application",
    "key_component_selection",
]


@pytest.mark.parametrize("project_type", ["new", "rebuild", "expand", "migrate"])
def test_construction_projects_need_the_technical_plan_and_its_sections(project_type):
    result = assess(project_type=project_type, original_project_accepted=True, materials=[])
    assert set(result["missing_materials"]) == {"basic_info", "feasibility_study", *SECTIONS}
    assert result["complete"] is False
    assert codes(result)["ART10-MATERIALS"] == "block"


@pytest.mark.parametrize("project_type", ["new", "rebuild", "expand", "migrate"])
def test_complete_construction_materials(project_type):
    result = assess(project_type=project_type, original_project_accepted=True)
    assert result["complete"] is True and result["missing_materials"] == []
    assert "ART10-MATERIALS" not in codes(result)


@pytest.mark.parametrize("missing", CONSTRUCTION_MATERIALS)
def test_each_missing_construction_material_is_named(missing):
    result = assess(materials=[m for m in CONSTRUCTION_MATERIALS if m != missing])
    assert result["missing_materials"] == [missing]
    found = finding(result, "ART10-MATERIALS")
    assert missing in found["message"] and "第十条" in found["message"]
    assert found["article"] == "第十条"


def test_work_secrets_add_information_protection():
    result = assess(involves_work_secrets=True)
    assert result["missing_materials"] == ["information_protection"]
    result = assess(involves_work_secrets=True, materials=[*CONSTRUCTION_MATERIALS, "information_protection"])
    assert result["complete"] is True


def test_operations_projects_need_the_om_plan_not_the_technical_plan():
    result = assess(project_type="operations", materials=["basic_info", "feasibility_study"])
    assert result["missing_materials"] == ["om_plan"]
    result = assess(project_type="operations", materials=["basic_info", "feasibility_study", "om_plan"])
    assert result["complete"] is True
    result = assess(project_type="operations", involves_work_secrets=True,
                    materials=["basic_info", "feasibility_study", "om_plan"])
    assert result["complete"] is True


def test_always_basic_info_and_feasibility_study():
    result = assess(project_type="operations", materials=["om_plan"])
    assert set(result["missing_materials"]) == {"basic_info", "feasibility_study"}


def test_extra_and_repeated_materials_do_no_harm():
    result = assess(materials=[*CONSTRUCTION_MATERIALS, "om_plan", "basic_info", "information_protection"])
    assert result["complete"] is True
