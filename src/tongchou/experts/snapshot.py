"""The pool snapshot a web draw runs on: the contract's POOL.json built from the database.

Organisation names are made canonical (a short name such as “州教育局” becomes “昌吉州教育局”) so the
pure draw's exact string comparison catches the conflict however the expert's employer was typed.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from tongchou.accounts.models import Organisation
from tongchou.crypto.sm import sm3_hex
from tongchou.experts.models import SEATED_STATUSES, DrawMember, Expert


def org_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for name, short in Organisation.objects.values_list("name", "short_name"):
        aliases[name] = name
        if short:
            aliases.setdefault(short, name)
    return aliases


def canonical_org(name: str, aliases: dict[str, str]) -> str:
    name = name.strip()
    return aliases.get(name, name)


def pool_snapshot() -> dict[str, Any]:
    aliases = org_aliases()
    experts = (
        Expert.objects.prefetch_related("categories", "former_employers", "declared_conflicts")
        .filter(categories__isnull=False)
        .distinct()
        .order_by("code")
    )
    rows = []
    for e in experts:
        rows.append({
            "id": e.code,
            "name": e.name,
            "categories": sorted(c.code for c in e.categories.all()),
            "employer": canonical_org(e.employer, aliases),
            "status": e.status,
            "former_employers": [
                {"org": canonical_org(f.org, aliases), "until": f.until.isoformat()}
                for f in sorted(e.former_employers.all(), key=lambda f: (f.until, f.org))
            ],
            "conflicts": sorted({canonical_org(c.org, aliases) for c in e.declared_conflicts.all()}),
        })
    return {"experts": rows}


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return sm3_hex(canonical_json(snapshot).encode("utf-8"))


def unavailable_codes(on: date) -> list[str]:
    """Experts who cannot be drawn on `on`: marked unavailable, or already seated on a panel that day."""
    off = set(Expert.objects.filter(available=False).values_list("code", flat=True))
    busy = set(
        DrawMember.objects.filter(review_date=on, status__in=SEATED_STATUSES).values_list("expert__code", flat=True)
    )
    return sorted(off | busy)
