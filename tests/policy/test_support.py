"""第十一条、第十二条、第十三条: whether a project is supported."""

from __future__ import annotations

import pytest

from tests.policy.builders import assess, codes, finding

# (overrides, expected Art. 12 code or None, severity)
ARTICLE_12 = [
    # （一）standalone infrastructure or server hardware, unless classified
    ({"builds_standalone_infrastructure": True}, "ART12-1", "block"),
    ({"buys_server_hardware": True}, "ART12-1", "block"),
    ({"buys_server_hardware": True, "classified": True}, None, None),
    ({"builds_standalone_infrastructure": True, "classified": True}, None, None),
    ({"builds_standalone_infrastructure": False, "buys_server_hardware": False}, None, None),
    # （二）leased lines, classified or not
    ({"leases_internet_line": True}, "ART12-2", "block"),
    ({"leases_unintegrated_private_network": True}, "ART12-2", "block"),
    ({"leases_internet_line": True, "classified": True}, "ART12-2", "block"),
    # （三）not on the government cloud
    ({"deployment": "self_hosted"}, "ART12-3", "block"),
    ({"deployment": "self_hosted", "project_type": "migrate"}, "ART12-3", "block"),
    ({"deployment": "self_hosted", "project_type": "rebuild", "original_project_accepted": True}, "ART12-3", "block"),
    ({"deployment": "self_hosted", "project_type": "expand", "original_project_accepted": True}, "ART12-3", "block"),
    ({"deployment": "self_hosted", "project_type": "operations",
      "materials": ["basic_info", "feasibility_study", "om_plan"]}, None, None),
    ({"deployment": "self_hosted", "classified": True}, None, None),
    ({"deployment": "special_network"}, "ART12-3", "block"),
    ({"deployment": "special_network", "special_network_basis": None}, "ART12-3", "block"),
    ({"deployment": "special_network", "special_network_basis": ""}, "ART12-3", "block"),
    ({"deployment": "special_network", "special_network_basis": "   "}, "ART12-3", "block"),
    ({"deployment": "special_network", "special_network_basis": "公安视频专网运行规定"}, None, None),
    ({"deployment": "gov_cloud"}, None, None),
    ({"deployment": "none"}, None, None),
    # （四）–（七）
    ({"key_components_compliant": False}, "ART12-4", "block"),
    ({"crypto_compliant": False}, "ART12-5", "block"),
    ({"major_security_risk": True}, "ART12-5", "block"),
    ({"obsolete_technology": True}, "ART12-6", "block"),
    ({"goals_clear": False}, "ART12-7", "block"),
    ({"internal_integration_done": False}, "ART12-7", "block"),
    ({"data_sharing_done": False}, "ART12-7", "block"),
    # （八）upgrade of a project not yet accepted
    ({"project_type": "rebuild", "original_project_accepted": False}, "ART12-8", "block"),
    ({"project_type": "expand", "original_project_accepted": False}, "ART12-8", "block"),
    ({"project_type": "rebuild", "original_project_accepted": None}, "ART12-8", "warn"),
    ({"project_type": "expand"}, "ART12-8", "warn"),
    ({"project_type": "expand", "original_project_accepted": True}, None, None),
    ({"project_type": "new", "original_project_accepted": False}, None, None),
    ({"project_type": "migrate", "original_project_accepted": False}, None, None),
]


@pytest.mark.parametrize(("overrides", "code", "severity"), ARTICLE_12)
def test_article_12(overrides, code, severity):
    result = assess(**overrides)
    art12 = {c: s for c, s in codes(result).items() if c.startswith("ART12-")}
    if code is None:
        assert art12 == {}
        assert result["support"] == "normal"
    else:
        assert art12 == {code: severity}
        item = "一二三四五六七八"[int(code[-1]) - 1]
        found = finding(result, code)
        assert found["article"] == f"第十二条第（{item}）项"
        assert "第十二条" in found["message"]
        assert result["support"] == ("not_supported" if severity == "block" else "normal")


def test_each_article_12_message_names_the_fact():
    assert "buys_server_hardware" in finding(assess(buys_server_hardware=True), "ART12-1")["message"]
    assert "self_hosted" in finding(assess(deployment="self_hosted"), "ART12-3")["message"]
    assert "major_security_risk" in finding(assess(major_security_risk=True), "ART12-5")["message"]
    assert "data_sharing_done" in finding(assess(data_sharing_done=False), "ART12-7")["message"]


def test_several_situations_give_several_findings():
    result = assess(buys_server_hardware=True, deployment="self_hosted", obsolete_technology=True)
    assert {"ART12-1", "ART12-3", "ART12-6"} <= set(codes(result))
    assert result["support"] == "not_supported"


# 第十三条: an exception needs both a legal basis and the superior's written consent.
EXCEPTIONS = [
    ({"legal_basis": "《某某条例》第五条", "superior_consent": True}, "conditional", "ART13-EXCEPTION", "info"),
    ({"legal_basis": "《某某条例》第五条", "superior_consent": False}, "not_supported", "ART13-INCOMPLETE", "warn"),
    ({"legal_basis": "", "superior_consent": True}, "not_supported", "ART13-INCOMPLETE", "warn"),
    ({"legal_basis": "  ", "superior_consent": True}, "not_supported", "ART13-INCOMPLETE", "warn"),
    ({"legal_basis": None, "superior_consent": True}, "not_supported", "ART13-INCOMPLETE", "warn"),
    ({"superior_consent": True}, "not_supported", "ART13-INCOMPLETE", "warn"),
    ({"legal_basis": "《某某条例》"}, "not_supported", "ART13-INCOMPLETE", "warn"),
    ({}, "not_supported", "ART13-INCOMPLETE", "warn"),
]


@pytest.mark.parametrize(("exception", "support", "code", "severity"), EXCEPTIONS)
def test_article_13_exception(exception, support, code, severity):
    result = assess(buys_server_hardware=True, exception=exception)
    assert result["support"] == support
    found = codes(result)
    assert found[code] == severity
    assert found["ART12-1"] == "block"
    other = {"ART13-EXCEPTION", "ART13-INCOMPLETE"} - {code}
    assert not other & set(found)
    assert "第十三条" in finding(result, code)["message"]


def test_no_exception_no_article_13_finding():
    result = assess(buys_server_hardware=True, exception=None)
    assert result["support"] == "not_supported"
    assert not {"ART13-EXCEPTION", "ART13-INCOMPLETE"} & set(codes(result))


def test_an_exception_without_article_12_blocks_changes_nothing():
    result = assess(exception={"legal_basis": "x", "superior_consent": True}, priority_basis=["mandated"])
    assert result["support"] == "priority"
    assert not {"ART13-EXCEPTION", "ART13-INCOMPLETE"} & set(codes(result))


def test_a_warning_under_article_12_does_not_stop_support():
    result = assess(project_type="expand", original_project_accepted=None, priority_basis=["key_work"])
    assert result["support"] == "priority"


# 第十一条: priority where a basis is given and nothing blocks.
@pytest.mark.parametrize(
    ("priority_basis", "support"),
    [([], "normal"), (["shared_infrastructure"], "priority"), (["mandated", "key_work", "other_necessary"], "priority")],
)
def test_article_11_priority(priority_basis, support):
    assert assess(priority_basis=priority_basis)["support"] == support


def test_blocks_outrank_priority():
    assert assess(priority_basis=["mandated"], leases_internet_line=True)["support"] == "not_supported"


def test_blocks_with_exception_are_conditional_even_with_priority():
    result = assess(priority_basis=["mandated"], leases_internet_line=True,
                    exception={"legal_basis": "国家规定", "superior_consent": True})
    assert result["support"] == "conditional"
