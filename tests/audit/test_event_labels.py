"""Every audit event code the code base writes has a Chinese name (audit.labels), read statically from
the source: each `audit_record(event=...)` call and each call of a helper that passes its own `event`
parameter on to `audit_record`. An `event=` this test cannot resolve fails it, so a new way of writing
codes has to be taught here rather than slipping through."""

from __future__ import annotations

import ast
from pathlib import Path

from tongchou.audit.labels import EVENT_LABELS, actor_display, event_label, outcome_label
from tongchou.delivery.models import ReportKind
from tongchou.lifecycle.table import BY_ACTION, TRANSITIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "tongchou"

# f-string codes: their constant prefix → the values the formatted part takes.
DYNAMIC = {
    "project.": sorted(BY_ACTION),  # lifecycle.services and the demo: f"project.{action}"
    "delivery.report.": sorted(ReportKind.values),  # delivery.services.procurement: f"delivery.report.{kind}"
}


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _event_kw(call: ast.Call) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == "event"), None)


def _strings(node: ast.expr, scopes: list[dict[str, ast.expr]], where: str) -> list[str]:
    """The codes an `event=` expression can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, scopes, where) + _strings(node.orelse, scopes, where)
    if isinstance(node, ast.JoinedStr):
        head = node.values[0]
        prefix = head.value if isinstance(head, ast.Constant) else ""
        assert prefix in DYNAMIC and len(node.values) == 2, f"{where}: teach this test the codes of {ast.unparse(node)}"
        return [prefix + v for v in DYNAMIC[prefix]]
    if isinstance(node, ast.Name):
        for scope in scopes:
            if node.id in scope:
                return _strings(scope[node.id], scopes, where)
    raise AssertionError(f"{where}: cannot tell which event code {ast.unparse(node)} is")


def _assignments(nodes: list[ast.AST]) -> dict[str, ast.expr]:
    """`NAME = value` among the nodes: a module's top-level statements, or everything in a function."""
    return {n.targets[0].id: n.value for n in nodes
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)}


def written_codes() -> dict[str, str]:
    """code → where it is written."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SRC.rglob("*.py"))}
    # Helpers that take `event` and pass it on unchanged (reviews.opinions._drop).
    forwarders = {"audit_record"}
    for tree in trees.values():
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name != "audit_record" and "event" in {
                    a.arg for a in fn.args.args + fn.args.kwonlyargs}:
                for call in ast.walk(fn):
                    if isinstance(call, ast.Call) and _name(call) == "audit_record":
                        value = _event_kw(call)
                        if isinstance(value, ast.Name) and value.id == "event":
                            forwarders.add(fn.name)
    codes: dict[str, str] = {}
    for path, tree in trees.items():
        module = _assignments(list(tree.body))
        # each call with its innermost enclosing function (ast.walk is breadth-first: outer ones come first)
        enclosing: dict[ast.Call, ast.FunctionDef | None] = {}
        for fn in [None, *[n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]]:
            for call in ast.walk(fn or tree):
                if isinstance(call, ast.Call) and _name(call) in forwarders:
                    enclosing[call] = fn
        for call, fn in enclosing.items():
            value = _event_kw(call)
            where = f"{path.relative_to(SRC)}:{call.lineno}"
            if value is None:
                raise AssertionError(f"{where}: pass the event code as event=…")
            if (fn is not None and fn.name in forwarders and isinstance(value, ast.Name) and value.id == "event"
                    and "event" in {a.arg for a in fn.args.args + fn.args.kwonlyargs}):
                continue  # a forwarder's own parameter: its callers' codes are collected
            local = _assignments(list(ast.walk(fn))) if fn is not None else {}
            for code in _strings(value, [local, module], where):
                codes.setdefault(code, where)
    return codes


def test_every_event_code_written_has_a_chinese_name():
    codes = written_codes()
    # the collection itself works: literal, conditional, constant, forwarded and f-string codes are all found
    assert {"project.created", "expert_category.updated", "obligation.waived", "project.facts_corrected",
            "reviews.opinion_attachment_remove", "project.start_review", "delivery.report.supervision"} <= set(codes)
    assert len(codes) > 150
    unnamed = sorted(f"{code} ({where})" for code, where in codes.items() if event_label(code) == code)
    assert not unnamed, "add these codes to tongchou/audit/labels.py: " + ", ".join(unnamed)


def test_lifecycle_events_are_named_by_the_transition_table_not_the_catalogue():
    for t in TRANSITIONS:
        assert event_label(f"project.{t.action}") == t.label
        assert f"project.{t.action}" not in EVENT_LABELS
    assert event_label("project.start_review") == "受理并启动审查"
    assert event_label("reviews.approval_record") == "登记立项批复"
    assert all(label and label.isascii() is False for label in EVENT_LABELS.values())


def test_unknown_codes_read_as_themselves():
    assert event_label("future.thing_happened") == "future.thing_happened"
    assert event_label("project.no_such_action") == "project.no_such_action"
    assert outcome_label("refused") == "被拒绝" and outcome_label("odd") == "odd"


def test_the_person_is_named_by_full_name_else_login_else_who_wrote_it():
    class Person:
        def __init__(self, display_name: str, username: str) -> None:
            self.display_name, self.username = display_name, username

    assert actor_display(user=Person("王芳", "applicant"), actor_name="applicant") == "王芳"
    assert actor_display(user=Person("", "applicant"), actor_name="applicant") == "applicant"
    assert actor_display(user=None, actor_name="system") == "系统"
    assert actor_display(user=None, actor_name="demo") == "演示数据"
    assert actor_display(user=None, actor_name="cli:root") == "cli:root"
