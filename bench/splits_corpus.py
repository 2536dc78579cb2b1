"""A labelled corpus for split and overlap detection: realistic projects, planted groups, hard negatives.

`generate(seed)` returns (projects, truth): projects are input lines of `tongchou splits`; truth is a
list of (code, frozenset of ids) — the groups a perfect detector reports. Planted: ART8 splits by phase,
module, front end/back end, hardware/software halves and paraphrase (same unit, same or adjacent year);
ART3 overlaps (the same system by two or three units). Hard negatives: every unit's other systems
(same domain vocabulary, same boilerplate), boilerplate-heavy texts, and the same system of the same
unit again years later. A system is never used by two events less than two years apart unless the
events are one planted group, so the truth is unambiguous.

    python bench/splits_corpus.py --seed 1 --out corpus.jsonl --truth truth.json
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass

try:
    from splits_catalogue import BOILERPLATE, CATALOGUE, COUNTIES, TECH_ROUTES
except ImportError:  # imported as bench.splits_corpus
    from bench.splits_catalogue import BOILERPLATE, CATALOGUE, COUNTIES, TECH_ROUTES

YEARS = list(range(2010, 2028))
SUFFIXES = ["系统", "平台", "管理系统", "服务平台", "综合管理平台", "信息系统", "系统建设项目", "平台建设项目"]
PREFIXES = ["", "", "", "智慧", "数字", "智能", "一体化"]
SYNONYMS = [
    ("建设", "搭建"), ("实现", "达成"), ("管理", "管控"), ("提升", "提高"), ("统计", "汇总"),
    ("查询", "检索"), ("功能", "能力"), ("平台", "系统"), ("监测", "监控"), ("上报", "报送"),
    ("分析", "研判"), ("办理", "受理"), ("全州", "全域"), ("群众", "居民"), ("预警", "告警"),
]
GENERIC_HARDWARE = ["服务器", "存储设备", "网络交换机", "终端设备"]


@dataclass
class System:
    domain: str
    stem: str
    goal: str
    features: list[str]
    hardware: list[str]


def load_systems() -> dict[str, list[System]]:
    out: dict[str, list[System]] = {}
    for domain, (_, block) in CATALOGUE.items():
        systems = []
        for line in block.strip().splitlines():
            stem, goal, feats, hw = line.split("|")
            systems.append(System(domain, stem, goal, feats.split("；"), [h for h in hw.split("；") if h]))
        out[domain] = systems
    return out


def units_for(domain: str, counties: list[str]) -> list[str]:
    suffix = CATALOGUE[domain][0]
    return ["州" + suffix] + [c + suffix for c in counties]


class Generator:
    def __init__(self, seed: int, counties: list[str] | None = None) -> None:
        self.rng = random.Random(seed)
        self.systems = load_systems()
        self.counties = counties or COUNTIES
        self.projects: list[dict] = []
        self.truth: list[tuple[str, frozenset[str]]] = []
        self.occupied: dict[tuple[str, str], list[int]] = {}
        self.unit_years: dict[tuple[str, str], list[int]] = {}
        self.counter = 0

    # ---- text ---------------------------------------------------------------------------------
    def paraphrase(self, text: str, strength: float = 0.5) -> str:
        for a, b in SYNONYMS:
            if self.rng.random() < strength:
                text = text.replace(a, b)
        return text

    def name(self, s: System, unit: str, variant: int | None = None) -> str:
        r = self.rng
        prefix = r.choice(PREFIXES) if variant is None else PREFIXES[variant % len(PREFIXES)]
        suffix = r.choice(SUFFIXES) if variant is None else SUFFIXES[variant % len(SUFFIXES)]
        head = r.choice(["", "", unit, "昌吉州"]) if unit.startswith("州") else r.choice(["", unit])
        return f"{head}{prefix}{s.stem}{suffix}"

    def boilerplate(self, k: int | None = None) -> str:
        k = self.rng.randint(2, 5) if k is None else k
        return "".join(self.rng.sample(BOILERPLATE, k))

    def description(self, s: System, feats: list[str], *, lead: str = "", heavy: bool = False) -> str:
        r = self.rng
        feats = list(feats)
        r.shuffle(feats)
        content = "、".join(feats)
        county = r.choice(self.counties)
        scope = r.choice([f"覆盖全州{r.randint(3, 300)}个单位", f"先行在{county}试点", "服务全州", ""])
        tech = r.choice(TECH_ROUTES)
        templates = [
            f"建设目标：{s.goal}。主要内容：{lead}建设{content}等功能。技术路线：{tech}。",
            f"本项目旨在{s.goal}，{lead}重点建设{content}等内容，{scope}。{tech}。",
            f"{lead}围绕{s.stem}业务，建设{content}功能，{s.goal}。{tech}，{scope}。",
        ]
        text = r.choice(templates)
        bp = self.boilerplate(6 if heavy else None)
        return bp + text if r.random() < 0.3 else text + bp

    # ---- bookkeeping ----------------------------------------------------------------------------
    def free(self, s: System, years: list[int], units: list[str]) -> bool:
        taken = self.occupied.get((s.domain, s.stem), [])
        return all(abs(y - t) >= 2 for y in years for t in taken)

    def occupy(self, s: System, years: list[int]) -> None:
        self.occupied.setdefault((s.domain, s.stem), []).extend(years)

    def add(self, *, unit: str, year: int, name: str, description: str, cost: float, category: str = "development",
            classified: bool = False) -> str:
        self.counter += 1
        pid = f"P{self.counter:06d}"
        line = {"id": pid, "unit": unit, "year": year, "name": name, "description": description,
                "construction_cost": cost}
        if category != "development" or self.rng.random() < 0.3:
            line["category"] = category
        if classified:
            line["classified"] = True
        self.projects.append(line)
        return pid

    def cost(self, low: int = 100_000, high: int = 480_000) -> int:
        return self.rng.randrange(low, high, 1000)

    # ---- events ---------------------------------------------------------------------------------
    def pick(self, domain: str, n_units: int, span: int) -> tuple[System, list[str], list[int]] | None:
        units = units_for(domain, self.counties)
        for _ in range(50):
            s = self.rng.choice(self.systems[domain])
            y0 = self.rng.choice(YEARS[:-span] if span else YEARS)
            years = [y0 + k for k in range(span + 1)]
            chosen = self.rng.sample(units, n_units)
            if self.free(s, years, chosen):
                self.occupy(s, years)
                return s, chosen, years
        return None

    def single(self, domain: str, *, heavy: bool = False) -> None:
        got = self.pick(domain, 1, 0)
        if not got:
            return
        s, (unit,), (year,) = got
        feats = self.rng.sample(s.features, self.rng.randint(3, len(s.features)))
        self.add(unit=unit, year=year, name=self.name(s, unit), description=self.description(s, feats, heavy=heavy),
                 cost=self.cost(100_000, 3_000_000))
        if self.rng.random() < 0.25 and year + 4 <= YEARS[-1]:
            # The same system of the same unit years later (upgrade): not a split.
            later = year + self.rng.randint(4, 6)
            if later <= YEARS[-1] and self.free(s, [later], [unit]):
                self.occupy(s, [later])
                self.add(unit=unit, year=later, name=self.name(s, unit) + self.rng.choice(["升级改造", "（二期）", ""]),
                         description=self.description(s, feats, lead="在原有系统基础上，"), cost=self.cost())

    def neighbours(self, domain: str) -> None:
        """Hard negative: one unit's different systems of one domain, same or adjacent year."""
        r = self.rng
        unit = r.choice(units_for(domain, self.counties))
        y0 = r.choice(YEARS[:-1])
        pool = list(self.systems[domain])
        r.shuffle(pool)
        made = 0
        for s in pool:
            year = y0 + (made % 2)
            if made >= r.choice([2, 3]) or not self.free(s, [year], [unit]):
                continue
            self.occupy(s, [year])
            feats = r.sample(s.features, r.randint(3, len(s.features)))
            heavy = r.random() < 0.3
            if heavy:
                feats = feats[:2]
            self.add(unit=unit, year=year, name=self.name(s, unit),
                     description=self.description(s, feats, heavy=heavy), cost=self.cost())
            made += 1

    def split(self, domain: str, kind: str) -> None:
        r = self.rng
        span = r.choice([0, 0, 1])
        got = self.pick(domain, 1, span)
        if not got:
            return
        s, (unit,), years = got
        year = lambda k: years[min(k, len(years) - 1)]  # noqa: E731
        base = f"{r.choice(PREFIXES)}{s.stem}"
        suffix = r.choice(["系统", "平台", "综合平台"])
        costs = [self.cost(150_000, 480_000) for _ in range(3)]
        ids = []
        if kind == "phase":
            n = r.choice([2, 2, 3])
            style = r.choice(["（{}期）", "{}期工程", "（第{}阶段）", "{}期"])
            feats = list(s.features)
            r.shuffle(feats)
            chunk = max(2, len(feats) // n)
            for k in range(n):
                part = feats[k * chunk:(k + 1) * chunk] or feats[:2]
                lead = "在一期基础上，" if k else ""
                ids.append(self.add(unit=unit, year=year(k), name=base + suffix + style.format("一二三"[k]),
                                    description=self.description(s, part, lead=lead), cost=costs[k]))
        elif kind == "module":
            n = r.choice([2, 3])
            for k, feat in enumerate(r.sample(s.features, n)):
                name = f"{base}{suffix}{r.choice(['', '——', '之'])}{feat}{r.choice(['模块', '子系统', '功能模块'])}"
                desc = self.description(s, [feat] + r.sample(s.features, 1), lead=f"作为{s.stem}{suffix}的组成部分，")
                ids.append(self.add(unit=unit, year=year(k), name=name, description=desc, cost=costs[k]))
        elif kind == "front_back":
            front = r.choice(["移动端APP", "微信小程序", "移动端", "公众服务端"])
            back = r.choice(["管理后台", "后台管理端", "后端服务", "业务管理端"])
            half = len(s.features) // 2
            ids.append(self.add(unit=unit, year=year(0), name=f"{base}{front}开发",
                                description=self.description(s, s.features[:half], lead="面向群众和基层用户，"),
                                cost=costs[0]))
            ids.append(self.add(unit=unit, year=year(1), name=f"{base}{suffix}{back}建设",
                                description=self.description(s, s.features[half:], lead="面向业务管理人员，"),
                                cost=costs[1]))
        elif kind == "hw_sw":
            hw = s.hardware or r.sample(GENERIC_HARDWARE, 2)
            sw_name = f"{base}{suffix}{r.choice(['软件开发', '软件系统建设', '应用软件开发', ''])}"
            ids.append(self.add(unit=unit, year=year(0), name=sw_name,
                                description=self.description(s, r.sample(s.features, 4)), cost=costs[0]))
            hw_name = f"{base}{suffix}{r.choice(['配套设备采购', '硬件设备采购', '终端设备购置', '前端感知设备采购'])}"
            hw_desc = (f"为{s.stem}{suffix}采购{'、'.join(hw)}等设备，{r.choice(['满足', '支撑'])}"
                       f"{'、'.join(r.sample(s.features, 2))}等业务需要，{s.goal}。" + self.boilerplate(2))
            ids.append(self.add(unit=unit, year=year(1), name=hw_name, description=hw_desc, cost=costs[1],
                                category="equipment"))
        elif kind == "paraphrase":
            feats = list(s.features)
            r.shuffle(feats)
            k = len(feats) // 2 + 1
            a_feats, b_feats = feats[:k], feats[k - 2:]
            ids.append(self.add(unit=unit, year=year(0), name=self.name(s, unit, variant=r.randrange(8)),
                                description=self.description(s, a_feats), cost=costs[0]))
            ids.append(self.add(unit=unit, year=year(1), name=self.paraphrase(self.name(s, unit, variant=r.randrange(8)), 0.7),
                                description=self.paraphrase(self.description(s, b_feats), 0.6), cost=costs[1]))
        self.truth.append(("ART8-SPLIT", frozenset(ids)))

    def overlap(self, domain: str) -> None:
        r = self.rng
        n = r.choice([2, 2, 3])
        got = self.pick(domain, n, r.choice([0, 1]))
        if not got:
            return
        s, units, years = got
        ids = []
        for k, unit in enumerate(units):
            feats = r.sample(s.features, r.randint(4, len(s.features)))
            desc = self.description(s, feats)
            name = self.name(s, unit)
            if k:
                desc, name = self.paraphrase(desc, 0.3), self.paraphrase(name, 0.3)
            ids.append(self.add(unit=unit, year=years[min(k, len(years) - 1)], name=name, description=desc,
                                cost=self.cost(300_000, 3_000_000)))
        self.truth.append(("ART3-OVERLAP", frozenset(ids)))


def generate(seed: int = 1, *, singles: int = 500, splits: int = 120, overlaps: int = 40, neighbours: int = 150,
             counties: list[str] | None = None) -> tuple[list[dict], list[tuple[str, frozenset[str]]]]:
    g = Generator(seed, counties)
    domains = list(CATALOGUE)
    kinds = ["phase", "module", "front_back", "hw_sw", "paraphrase"]
    events = (["single"] * singles) + (["split"] * splits) + (["overlap"] * overlaps) + (["nb"] * neighbours)
    g.rng.shuffle(events)
    for k, ev in enumerate(events):
        domain = g.rng.choice(domains)
        if ev == "single":
            g.single(domain, heavy=g.rng.random() < 0.15)
        elif ev == "nb":
            g.neighbours(domain)
        elif ev == "split":
            g.split(domain, kinds[k % len(kinds)])
        else:
            g.overlap(domain)
    g.rng.shuffle(g.projects)
    return g.projects, g.truth


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth")
    args = ap.parse_args()
    projects, truth = generate(args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for p in projects:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    if args.truth:
        with open(args.truth, "w", encoding="utf-8") as fh:
            json.dump([[c, sorted(ids)] for c, ids in truth], fh, ensure_ascii=False)
    print(f"{len(projects)} projects, {len(truth)} planted groups")


if __name__ == "__main__":
    main()
