"""The rule cases in cases.yaml, written the way the Measures read (facts in, finding and article out)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.policy.builders import assess

CASES = yaml.safe_load((Path(__file__).with_name("cases.yaml")).read_text(encoding="utf-8"))


def _same(have, want):
    if isinstance(want, list):
        return isinstance(have, list) and sorted(map(repr, have)) == sorted(map(repr, want))
    if isinstance(want, dict):
        return isinstance(have, dict) and all(_same(have.get(k), v) for k, v in want.items()) and set(have) >= set(want)
    return have == want


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_rule_case(case):
    result = assess(**case.get("facts", {}))
    for key, want in case.get("expect", {}).items():
        assert _same(result[key], want), (key, result[key], want)
    findings = {(f["code"], f["severity"]) for f in result["findings"]}
    for code, severity in case.get("findings", []):
        assert (code, severity) in findings, (code, severity, findings)
        article = next(f["article"] for f in result["findings"] if f["code"] == code)
        assert article.startswith("第")
    codes = {f["code"] for f in result["findings"]}
    for code in case.get("absent", []):
        assert code not in codes, code
    obligations = {(o["code"], o["due"]) for o in result["obligations"]}
    for code, due in case.get("obligations", []):
        assert (code, due) in obligations, (code, due, obligations)
