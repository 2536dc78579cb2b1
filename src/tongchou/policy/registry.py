"""Which rule set speaks for a given application date.

The registry holds every rule set found in the package's `rulesets/` folder and in the folders
named by `TONGCHOU_RULESETS_DIR` (colon-separated), so a revised rule set is a new file, not a code
change. Selection (Art. 38): the rule set whose validity covers `application_date`, the most recent
`valid_from` winning where revisions overlap; a date no rule set covers is assessed under the rule
set most recently in force before it (or the earliest, for a date before all of them) and flagged
`in_force: false`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from tongchou.policy.facts import FactsError
from tongchou.policy.ruleset import RuleSet, RulesetError, load_ruleset

ENV_VAR = "TONGCHOU_RULESETS_DIR"
BUILTIN_DIR = Path(__file__).resolve().parent / "rulesets"


class UnknownRuleset(FactsError, LookupError):
    """A forced rule-set id that is not registered (an input error of the field `ruleset`)."""

    def __init__(self, ruleset_id: str, known: Iterable[str]) -> None:
        self.ruleset_id = ruleset_id
        known_list = "、".join(known) or "（无）"
        message = f"ruleset：未登记的规则集 {ruleset_id!r}；已登记：{known_list}（tongchou rulesets 可列出）"
        super().__init__([{"field": "ruleset", "message": message}])


class Registry:
    def __init__(self, rulesets: Iterable[RuleSet]) -> None:
        ordered = sorted(rulesets, key=lambda r: (r.valid_from, r.id))
        if not ordered:
            raise RulesetError("（注册表）", "rulesets", "没有任何规则集")
        by_id: dict[str, RuleSet] = {}
        starts: dict[date, RuleSet] = {}
        for ruleset in ordered:
            if ruleset.id in by_id:
                raise RulesetError(ruleset.source, "id", f"与 {by_id[ruleset.id].source} 的规则集 id 重复")
            if ruleset.valid_from in starts:
                other = starts[ruleset.valid_from]
                raise RulesetError(
                    ruleset.source, "valid_from", f"与 {other.source}（{other.id}）同日生效，无法确定适用哪一个"
                )
            by_id[ruleset.id] = ruleset
            starts[ruleset.valid_from] = ruleset
        self.rulesets: tuple[RuleSet, ...] = tuple(ordered)
        self._by_id = by_id
        self._cache: dict[date, tuple[RuleSet, bool]] = {}

    @classmethod
    def from_dirs(cls, dirs: Iterable[str | Path]) -> Registry:
        found: list[RuleSet] = []
        seen: set[Path] = set()
        for folder in dirs:
            folder = Path(folder)
            if not folder.is_dir():
                raise RulesetError(str(folder), ENV_VAR, "不是可读的目录")
            if folder.resolve() in seen:  # the same folder named twice is read once
                continue
            seen.add(folder.resolve())
            for path in sorted(folder.iterdir()):
                if path.suffix in (".yaml", ".yml") and path.is_file():
                    found.append(load_ruleset(path))
        return cls(found)

    def get(self, ruleset_id: str) -> RuleSet:
        try:
            return self._by_id[ruleset_id]
        except KeyError:
            raise UnknownRuleset(ruleset_id, self._by_id) from None

    def select(self, application_date: date) -> tuple[RuleSet, bool]:
        """The rule set for this date and whether it is in force on it."""
        hit = self._cache.get(application_date)
        if hit is None:
            hit = self._select(application_date)
            if len(self._cache) < 20000:
                self._cache[application_date] = hit
        return hit

    def _select(self, day: date) -> tuple[RuleSet, bool]:
        started = [r for r in self.rulesets if r.valid_from <= day]
        for ruleset in reversed(started):
            if ruleset.covers(day):
                return ruleset, True
        if started:
            return started[-1], False
        return self.rulesets[0], False


_default: tuple[str | None, Registry] | None = None
_checked: tuple[tuple[str | None, Registry], object] | None = None  # (the _default it vouches for, raw env value)
# os.environ's backing mapping (CPython keeps the encoded key → encoded value there, and every change
# through os.environ / os.putenv-via-environ updates it); None where it is not a plain dict.
_ENVIRON_DATA: dict[object, object] | None = (
    os.environ._data if isinstance(getattr(os.environ, "_data", None), dict) else None  # type: ignore[attr-defined]
)
_ENV_KEY: object = os.environ.encodekey(ENV_VAR) if _ENVIRON_DATA is not None else None  # type: ignore[attr-defined]


def rulesets_dirs(env_value: str | None) -> list[Path]:
    dirs = [BUILTIN_DIR]
    if env_value:
        dirs += [Path(p) for p in env_value.split(os.pathsep) if p.strip()]
    return dirs


def default_registry() -> Registry:
    """The built-in rule sets plus those in TONGCHOU_RULESETS_DIR; loaded once per value of the variable."""
    global _default, _checked
    # Fast path: compare the variable's raw (encoded) value, as os.environ stores it, with the one last
    # checked for this very cache entry; os.environ.get would encode the key and decode the value each call.
    data = _ENVIRON_DATA
    checked = _checked
    if data is not None and checked is not None and checked[0] is _default:
        raw = data.get(_ENV_KEY)
        if raw is checked[1] or raw == checked[1]:
            return checked[0][1]
    env_value = os.environ.get(ENV_VAR)
    if _default is None or _default[0] != env_value:
        _default = (env_value, Registry.from_dirs(rulesets_dirs(env_value)))
    _checked = (_default, data.get(_ENV_KEY)) if data is not None else None
    return _default[1]


def reload_default_registry() -> Registry:
    """Reads the rule-set folders again (a county's rule set was just uploaded into one of them)."""
    global _default
    _default = None
    return default_registry()
