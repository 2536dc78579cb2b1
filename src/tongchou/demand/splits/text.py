"""Chinese text for similarity: normalisation, the core of a project name, boilerplate removal, n-grams.

Chinese has no spaces, so texts are compared as character bigrams, which need no dictionary and survive
paraphrase better than whole words. Before that, a name loses what says *which piece* of a project it is
(一期/二期, 第一阶段, 前端/后台, 软件开发/设备采购, 模块…) and generic words (系统、平台、建设…), so that
the pieces of one project share one core; a description loses the boilerplate every application carries
(依托政务云、对接数据共享交换平台、等保、密码应用…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import add

_NUM = "一二三四五六七八九十百零〇两壹贰叁肆伍0-9"

# Markers saying which piece of a project a name is. Kind → patterns (matched on normalised text).
PHASE_PATTERNS = [
    rf"第?[{_NUM}]+期(?:工程|项目|建设)?",
    rf"第[{_NUM}]+(?:阶段|批次|批|标段|包|部分|子项目|子项)",
    rf"[{_NUM}]+阶段",
    rf"(?:标段|包|子项目)[{_NUM}a-e]+",
    r"[a-e]包",
    r"(?:前期|后期|续建|续期|收尾|扩容|扩建|升级改造|改造升级|升级完善|功能完善|完善提升|迭代升级|迭代|深化应用|深化|拓展|延伸|二次开发)(?:工程|项目)?",
    r"(?:(?<=\|)|^)[上中下一二三四五六七八九十](?=\||$)",  # "（上）" "(二)" once brackets became separators
]
FRONT_BACK_PATTERNS = [
    r"前端|后端|后台|前台|移动端|手机端|app端|app|微信小程序|小程序|微信公众号|公众号|微信端|pc端|web端|"
    r"业务管理端|管理端|公众服务端|公众端|群众端|服务端|客户端|大屏端|用户端|移动应用|门户端",
]
HARDWARE_PATTERNS = [
    # Not a bare 设备: 特种设备、医疗设备 name what a system is about.
    r"硬件部分|硬件设备|硬件采购|硬件配套|配套硬件|硬件|设备采购|设备购置|设备购买|设备配置|配套设备|服务器及存储|服务器|"
    r"存储设备|网络设备|安全设备|前端感知设备|感知设备|终端设备|前端设备|采集设备|摄像机|机柜",
]
SOFTWARE_PATTERNS = [r"软件部分|软件开发|应用软件|软件系统|软件采购|软件定制|软件"]
MODULE_PATTERNS = [r"子系统|模块|功能模块|子平台|分系统"]
SECURITY_PATTERNS = [r"商用密码应用安全性评估|商用密码|网络安全等级保护测评|等级保护测评|等保测评|密码应用安全性评估|密评|安全测评|测评服务|测评"]

# Generic words left out of the name core: they say nothing about what the system is for.
GENERIC_NAME_WORDS = [
    "信息化建设", "信息系统", "信息平台", "管理信息系统", "综合管理", "综合服务", "一体化", "信息化", "数字化",
    "智慧化", "智能化", "数智化", "网络化", "标准化", "规范化", "可视化",
    "智慧", "智能", "数智", "数字", "电子", "网上", "在线", "掌上", "云上", "互联网+", "综合", "统一", "集成",
    "项目", "工程", "建设", "新建", "搭建", "构建", "建立", "采购", "购置", "开发", "实施", "部署", "集成",
    "系统", "平台", "体系", "应用", "服务", "管理", "工作", "中心", "专项", "配套", "及", "和", "与", "的",
    "昌吉回族自治州", "昌吉州", "自治州", "州级", "州本级", "州直", "全州", "本级",
]

# Boilerplate phrases shared by nearly every application (Art. 5, 7, 10, 12 require them of everyone).
BOILERPLATE_PATTERNS = [
    # Each alternative starts with a literal, so the regex engine can skip ahead cheaply.
    r"政务云(?:平台|资源)?",
    r"电子政务[外内]网|政务[外内]网|政务网络",
    r"(?:数据|信息)(?:资源)?共享交换(?:平台|系统)?|共享交换平台",
    r"网络安全等级保护[^，。；、]{0,8}|等级保护[^，。；、]{0,8}|等保[^，。；、]{0,6}",
    r"商用密码[^，。；、]{0,10}|密码应用[^，。；、]{0,8}|国产密码|密码服务平台|密评",
    r"国产化[^，。；、]{0,8}|国产[^，。；、]{0,6}|信创[^，。；、]{0,6}",
    r"统一身份认证(?:平台|体系)?|电子证照(?:库|系统)?|电子印章(?:系统)?|统一支付平台",
    r"(?:符合|按照|遵循|执行|满足)[^，。；、]{0,16}(?:标准|规范|要求|规定)",
    r"安全可靠|自主可控|集约化建设|集约建设|集约节约|共建共享|互联互通|数据共享|业务协同|避免重复建设|不新建机房|新建机房",
    r"(?:提供|开放)(?:标准)?(?:数据)?接口|标准化接口|数据接口",
    r"(?:提升|提高)(?:工作|管理|服务|办事)?效率|(?:提升|提高)(?:治理|服务)(?:能力|水平)",
    r"免费运维(?:期|服务)?|质保期|运维服务|运行维护|技术培训|人员培训|项目验收|竣工验收",
    r"政务服务|一网通办|放管服|数字政府|数据安全|个人信息保护|计算、存储和网络资源|计算存储",
]

# Near-synonyms of government IT texts, mapped to one spelling so paraphrases share bigrams.
SYNONYMS = {
    "搭建": "建设", "构建": "建设", "建立": "建设", "打造": "建设", "管控": "管理", "监控": "监测",
    "监督管理": "监管", "汇总": "统计", "检索": "查询", "受理": "办理", "研判": "分析", "告警": "预警",
    "智能化": "智慧", "智能": "智慧", "数字化": "智慧", "全域": "全州", "居民": "群众", "市民": "群众",
    "达成": "实现", "提高": "提升", "报送": "上报", "管控系统": "管理平台", "信息系统": "平台", "系统": "平台",
}
_SYNONYM_RE = re.compile("|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)))
# "吉木萨尔县市场监督管理局智慧价格监测系统": the name starts with some unit's name.
_UNIT_FIELD_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,6}?(?:县|市|州|区)|自治州|州)|(?:局|委员会|委|办公室|管理中心|服务中心|中心|馆)$"
)
_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:自治州|自治县|县|市|区)")
_UNIT_PREFIX_RE = re.compile(
    r"^[\u4e00-\u9fff]{1,6}?(?:县|市|州)[\u4e00-\u9fff]{0,12}?(?:局|委员会|委|办公室|管理中心|服务中心|馆)(?=[\u4e00-\u9fff]{4})"
)


def canonical(text: str) -> str:
    return _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], text)


# Bigrams so common in any government IT text that even a small input must not count them.
GENERIC_BIGRAMS = frozenset(
    "系统 平台 建设 管理 数据 信息 服务 实现 功能 提供 提升 工作 业务 应用 开发 项目 进行 通过 全州 部门 单位 "
    "相关 支撑 支持 包括 主要 内容 技术 路线 目标 采用 基于 满足 需求 能力 水平 效率 统一 规范 标准 建立 构建 "
    "完善 推进 加强 实施 部署 运行 维护 保障 安全 网络 资源 共享 整合 集成 接口 对接 各类 以及 同时 全面 有效 "
    "进一步 一步 优化 智能 智慧 数字 信息化 化建 设项 目标 的建 设内 主要 要内 工作 效能 治理 现代 体系 机制 "
    "年度 本项 项目 及时 实时 在线 线上 办理 综合 集中 方式 模式 手段 质量 一体 体化 监测 分析 统计 查询 展示".split()
)

_MARKER_KINDS = {  # order matters where two kinds start alike: 前端感知设备 is hardware, not a front end
    "phase": PHASE_PATTERNS,
    "security": SECURITY_PATTERNS,
    "hardware": HARDWARE_PATTERNS,
    "software": SOFTWARE_PATTERNS,
    "front_back": FRONT_BACK_PATTERNS,
    "module": MODULE_PATTERNS,
}
# One pass over the name; the named group that matched says which kind of piece marker it was.
_MARKERS_RE = re.compile("|".join(f"(?P<{kind}>{'|'.join(p)})" for kind, p in _MARKER_KINDS.items()))
_GENERIC_NAME_RE = re.compile("|".join(re.escape(w) for w in sorted(set(GENERIC_NAME_WORDS), key=len, reverse=True)))


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(pattern):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:k])
            start = k + 1
    parts.append(pattern[start:])
    return parts


def _first_chars(pattern: str) -> set[str]:
    """First characters an alternation of literal-led patterns can match (for a cheap lookahead)."""
    out: set[str] = set()
    for alt in _top_level_alternatives(pattern):
        if alt.startswith("(?:"):
            depth, end = 0, 0
            for k, ch in enumerate(alt):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0:
                    end = k
                    break
            out |= _first_chars(alt[3:end])
        elif alt and alt[0] not in "\\[](){}?*+.^$":
            out.add(alt[0])
        else:
            raise ValueError(f"boilerplate pattern must start with a literal: {alt!r}")
    return out


_BOILERPLATE_ALT = "|".join(BOILERPLATE_PATTERNS)
# The lookahead lets the engine skip, in C, every position no boilerplate phrase can start at.
_BOILERPLATE_RE = re.compile(
    "(?=[" + "".join(sorted(_first_chars(_BOILERPLATE_ALT))) + "])(?:" + _BOILERPLATE_ALT + ")"
)
_NOT_WORD_RE = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_DIGITS_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:年度|年)?")
_SEP = "|"


_COMPAT_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2e80-\u2fdf\uf900-\ufaff]")


def nfkc(text: str) -> str:
    """NFKC and lower case. Punctuation becomes a separator later anyway, so only texts with full-width
    letters or digits, radicals or compatibility ideographs pay for the (slow) normalisation."""
    if _COMPAT_RE.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


_PREFECTURE_RE = re.compile(r"^(?:新疆维吾尔自治区)?(?:昌吉回族自治州|昌吉州|自治州)")


@lru_cache(maxsize=1 << 16)
def unit_key(unit: str) -> str:
    """One spelling per unit: "昌吉州 教育局" and "州教育局" are the same 项目建设单位."""
    return _PREFECTURE_RE.sub("州", re.sub(r"\s+", "", nfkc(unit)))


@lru_cache(maxsize=1 << 16)
def _unit_parts(unit: str) -> tuple[str, str, str]:
    """(normalised unit, its field — 教育 of 州教育局, its place — 阜康市 of 阜康市…, or ""): a register
    has a few thousand units for a hundred thousand projects, so each is worked out once."""
    unit_norm = nfkc(unit)
    place = _PLACE_RE.match(unit_norm)
    return unit_norm, _UNIT_FIELD_RE.sub("", unit_norm), place.group(0) if place and len(place.group(0)) >= 2 else ""


def normalise(text: str) -> str:
    """NFKC, lower case, punctuation and spaces become one separator."""
    text = nfkc(text)
    return _NOT_WORD_RE.sub(_SEP, text).strip(_SEP)


@dataclass(frozen=True, slots=True)
class NameParts:
    core: str  # what the system is, without piece markers and generic words
    markers: frozenset[str]  # kinds of piece markers found: phase, front_back, hardware, software, module, security
    weak: bool = False  # nothing specific left (only generic words): the core says nothing


def name_parts(name: str, unit: str = "") -> NameParts:
    parts = _name_parts(name, unit, drop_field=True)
    if parts.weak:
        # 州档案馆's 数字档案馆: the unit's field is part of the system's name — keep it, unless the
        # field is all there is (教育系统等保测评 of 州教育局).
        parts = _name_parts(name, unit, drop_field=False)
        field = _unit_parts(unit)[1] if unit else ""
        if field and parts.core.replace(_SEP, "") == field:
            parts = NameParts(core=parts.core, markers=parts.markers, weak=True)
    return parts


def _name_parts(name: str, unit: str, *, drop_field: bool) -> NameParts:
    text = nfkc(name)
    if unit:
        unit_norm, field, place = _unit_parts(unit)
        if len(unit_norm) >= 2:
            text = text.replace(unit_norm, _SEP)
        # The unit's own field (教育 for 州教育局) is in all its names: it says nothing about which system.
        if drop_field and len(field) >= 2:
            text = text.replace(field, _SEP)
        if place:  # "阜康市协同办公系统" of 阜康市人民政府办公室: the place is the unit's, not the system's
            text = text.replace(place, _SEP)
    text = _UNIT_PREFIX_RE.sub(_SEP, text)
    text = _NOT_WORD_RE.sub(_SEP, text)
    text = canonical(_module_head(text))
    markers: set[str] = set()

    def _mark(match: re.Match[str]) -> str:
        markers.add(match.lastgroup or "")
        return _SEP

    text = _MARKERS_RE.sub(_mark, text)
    stripped = _DIGITS_RE.sub(_SEP, text)
    core = _GENERIC_NAME_RE.sub(_SEP, stripped)
    # Lone characters left between separators ("（上）", "(二)", "2026年") are part labels, not names.
    core = _SEP.join(run for run in core.split(_SEP) if len(run) > 1)
    weak = False
    if len(core.replace(_SEP, "")) < 2:
        # Almost nothing left once generic words go: keep them rather than compare empty cores.
        core = re.sub(r"\|+", _SEP, stripped).strip(_SEP)
        weak = True
    return NameParts(core=core, markers=frozenset(markers), weak=weak)


_MODULE_RE = re.compile("|".join(MODULE_PATTERNS))
_SYSTEM_WORD_RE = re.compile(r"平台|系统|(?<!子)系统|中心|工程")


def _module_head(text: str) -> str:
    """"XX平台之YY模块" / "XX系统——YY子系统" → "XX平台模块": the system a module belongs to.

    The module's own name stays out of the core (it is in the description anyway), so that modules of
    one system share a core; the marker is kept so the caller still sees a module.
    """
    marker = _MODULE_RE.search(text)
    if not marker:
        return text
    prefix = text[: marker.start()]
    heads = [m.end() for m in _SYSTEM_WORD_RE.finditer(prefix)]
    if heads and heads[-1] < len(prefix):
        return prefix[: heads[-1]] + _SEP + marker.group(0)
    if _SEP in prefix.strip(_SEP):
        return prefix.strip(_SEP).rsplit(_SEP, 1)[0] + _SEP + marker.group(0)
    return text


def strip_boilerplate(description: str, unit: str = "") -> str:
    text = nfkc(description)
    if unit:
        # Every description of a unit may name the unit and its place: not what the system does.
        unit_norm, _field, place = _unit_parts(unit)
        if len(unit_norm) >= 2:
            text = text.replace(unit_norm, _SEP)
            if place:
                text = text.replace(place, _SEP)
    text = canonical(_BOILERPLATE_RE.sub(_SEP, text))
    text = _DIGITS_RE.sub(_SEP, text)
    return _NOT_WORD_RE.sub(_SEP, text).strip(_SEP)


def bigrams(text: str) -> set[str]:
    """Character bigrams within runs (never across a separator); a lone character counts as itself.

    Runs hold only letters, digits and CJK characters, so a bigram spanning a separator is exactly one
    that is not alphanumeric — filtered in C, which matters at 100,000 descriptions.
    """
    grams = set(filter(str.isalnum, map(add, text, text[1:])))
    if len(text) < 4:
        grams.update(run for run in text.split(_SEP) if len(run) == 1)
    return grams
