"""The output line of one group: code, members, cost, review path and a Chinese message with evidence."""

from __future__ import annotations

import re
from operator import add
from typing import Any

from .features import ProjectFeatures
from .review_path import PATH_LABELS, Thresholds, evades_review, group_path, review_path, thresholds_in_force

KIND_LABELS = {
    "phase": "分期/分阶段",
    "front_back": "前端/后台等分端",
    "hardware": "硬件设备部分",
    "software": "软件部分",
    "module": "功能模块",
    "security": "测评部分",
}


def money(amount: float) -> int | float:
    return int(amount) if float(amount).is_integer() else round(amount, 2)


def yuan_text(amount: float) -> str:
    wan = amount / 10_000
    text = f"{wan:,.2f}".rstrip("0").rstrip(".")
    return f"{text}万元"


_RUN_RE = re.compile(rb"\x01+")


def shared_phrases(members: list[ProjectFeatures], limit: int = 6) -> list[str]:
    """Runs of text every member's content shares (merged bigrams), longest first: the evidence."""
    common = frozenset.intersection(*(m.content_grams for m in members))
    if not common:
        return []
    from .text import GENERIC_BIGRAMS

    phrases: dict[str, None] = {}
    source = members[0]
    for text in (source.core, source.clean_description):
        # One byte per position, 1 where the bigram starting there is shared; each run of 1s is a run
        # of overlapping shared bigrams, i.e. the phrase from the run's first position to its last + 2.
        shared = bytes(map(common.__contains__, map(add, text, text[1:])))
        for run in _RUN_RE.finditer(shared):
            phrases[text[run.start() : run.end() + 1]] = None
    good = [p for p in phrases if len(p) >= 3 or (len(p) == 2 and p not in GENERIC_BIGRAMS)]
    good.sort(key=lambda p: (-len(p), p))
    kept: list[str] = []
    for p in good:  # longest first; a phrase inside a kept one adds nothing
        if not any(p in k for k in kept):
            kept.append(p)
    return kept[:limit]


def group_line(code: str, members: list[ProjectFeatures], score: float, pieces: bool, *,
               thresholds: Thresholds | None = None) -> dict[str, Any]:
    """`thresholds`: the review thresholds in force (read once by a caller writing many lines)."""
    thresholds = thresholds or thresholds_in_force()
    records = [m.record for m in members]
    combined = sum(r.construction_cost for r in records)
    spelling: dict[str, str] = {}
    for m in members:  # one entry per unit, however its name was spelt
        spelling.setdefault(m.unit_key, m.record.unit)
    units = sorted(spelling.values())
    years = sorted({r.year for r in records})
    path = group_path(records, thresholds)
    evades = code == "ART8-SPLIT" and evades_review(records, thresholds)
    listing = "、".join(
        f"「{r.name}」（{r.id}，{r.unit}，{r.year}年，{yuan_text(r.construction_cost)}，"
        f"单独走{PATH_LABELS[review_path(r.construction_cost, r.special, thresholds)]}）"
        for r in records
    )
    kinds = sorted({k for m in members for k in m.markers})
    phrases = shared_phrases(members)
    why = []
    cores = {m.core for m in members}
    if len(cores) == 1 and next(iter(cores)) and not any(m.weak_core for m in members):
        core = next(iter(cores)).replace("|", "")
        shown = f"（“{core}”）" if all(core in r.name.lower() for r in records) else ""
        why.append(f"去掉分期、分端、软硬件等标记和通用词后名称核心相同{shown}")
    if kinds and pieces:
        why.append("名称显示为同一系统的" + "、".join(KIND_LABELS[k] for k in kinds))
    if phrases:
        why.append("建设目标与内容共同涉及“" + "”“".join(phrases) + "”")
    why.append(f"相似度 {score:.2f}（已剔除政务云、数据共享交换、等保、密码应用等通用表述）")
    reason = "；".join(why)
    total = yuan_text(combined)
    if code == "ART8-SPLIT":
        verdict = (
            f"合计 {total}，应作为一个项目整体申报，走{PATH_LABELS[path]}"
            + ("；分开申报使各部分都逃避了更严格的审查路径" if evades else "")
            + "。依据第八条（建设目标、主要内容、技术路线等相似的项目不得拆分申报）和第十六条（不得拆分项目规避联合会审）。"
        )
        head = f"疑似拆分申报：{units[0]}的 {len(records)} 个项目"
    else:
        verdict = (
            f"合计 {total}。建议由州数字化发展局统筹，按第三条（统一建设、共建共享）合并为一个共建项目统一建设，"
            f"合并后应走{PATH_LABELS[path]}。"
        )
        head = f"疑似重复建设：{len(units)} 个单位（{'、'.join(units)}）的 {len(records)} 个项目"
    what = "建设目标、内容或技术路线相似，疑为同一项目拆分申报" if code == "ART8-SPLIT" else "建设的是实质相同的系统"
    message = f"{head}：{listing}，{what}。理由：{reason}。{verdict}"
    return {
        "code": code,
        "ids": [r.id for r in records],
        "units": units,
        "years": years,
        "score": round(max(0.0, min(1.0, score)), 3),
        "combined_cost": money(combined),
        "evades_review": evades,
        "review_path": path,
        "message": message,
    }
