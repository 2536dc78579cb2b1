"""Which rule set speaks for a given application date.

The registry holds every rule set found in the package's `rulesets/` folder and in the folders
named by `TONGCHOU_RULESETS_DIR` (colon-separated), so a revised rule set is a new file, not a code
change. The variable and the folders are read once; `reload_default_registry()` reads them again. Selection (Art. 38): the rule set whose validity covers `application_date`, the most recent
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


# The default registry and the TONGCHOU_RULESETS_DIR value it was built from: read once, on first use,
# and again only through `reload_default_registry()`. A plain module global keeps `default_registry()`
# (called for every assessment) to one global read; nothing here looks at os.environ per call.
_default: Registry | None = None
_dirs_value: str | None = None
_dirs_read = False


def rulesets_dirs(env_value: str | None) -> list[Path]:
    dirs = [BUILTIN_DIR]
    if env_value:
        dirs += [Path(p) for p in env_value.split(os.pathsep) if p.strip()]
    return dirs


def configured_dirs() -> list[Path]:
    """The folders TONGCHOU_RULESETS_DIR names, as the default registry reads them (the built-in folder
    not included): the same value the registry was loaded from, until the next reload."""
    return rulesets_dirs(_configured_value())[1:]


def _configured_value() -> str | None:
    global _dirs_value, _dirs_read
    if not _dirs_read:
        _dirs_value, _dirs_read = os.environ.get(ENV_VAR), True
    return _dirs_value


def default_registry() -> Registry:
    """The built-in rule sets plus those in TONGCHOU_RULESETS_DIR, loaded once (a failed load is not
    cached: the next call tries again). After changing the variable or a folder's files, call
    `reload_default_registry()`."""
    global _default
    registry = _default
    if registry is None:
        registry = _default = Registry.from_dirs(rulesets_dirs(_configured_value()))
    return registry


def reload_default_registry() -> Registry:
    """Reads TONGCHOU_RULESETS_DIR and its folders again: after a county's rule set was written into one
    of them, or after the variable was changed (tests; a process re-configured at run time)."""
    global _default, _dirs_read
    _default, _dirs_read = None, False
    return default_registry()
