"""Art. 10: the bureau checks a submitted application's materials within the service level
`SLA-COMPLETENESS-CHECK` (5 working days as seeded). Submitting opens that obligation for the bureau
that runs the project (the county's for a county project); the bureau's first action on the submitted
project — 受理并启动审查, 登记自行组织实施, 退回补正, 不予支持, 登记为紧急项目 — fulfils it, and the unit's
withdrawal waives it (nothing is left to check). Hooked into every lifecycle transition, so the API,
the pages and the CLI all open and close it alike."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from tongchou.lifecycle.effects import on_transition
from tongchou.lifecycle.table import Transition
from tongchou.obligations.models import OPEN_STATUSES, Obligation, ObligationStatus, ServiceLevel
from tongchou.obligations.services import obligation_open_from_service_level, obligation_settle
from tongchou.projects.models import Status

logger = logging.getLogger("tongchou.obligations")
COMPLETENESS_CHECK = "SLA-COMPLETENESS-CHECK"


@on_transition
def completeness_check_follows_submission(project: Any, transition: Transition, actor: Any) -> None:
    if transition.target == Status.SUBMITTED:
        if not ServiceLevel.objects.filter(code=COMPLETENESS_CHECK, active=True).exists():
            logger.info("办理时限 %s 已停用，%s 不登记完整性审查期限", COMPLETENESS_CHECK, project.code)
            return
        if Obligation.objects.filter(project=project, code=COMPLETENESS_CHECK, status__in=OPEN_STATUSES).exists():
            return
        obligation_open_from_service_level(project=project, level_code=COMPLETENESS_CHECK,
                                           start=timezone.localdate(), actor=actor)
    elif project.status == Status.SUBMITTED:
        withdrawn = transition.action == "withdraw"
        obligation_settle(
            project=project, code=COMPLETENESS_CHECK, actor=actor,
            status=ObligationStatus.WAIVED if withdrawn else ObligationStatus.DONE,
            note=f"项目已由建设单位撤回（{transition.article}）" if withdrawn
            else f"数字化发展局已{transition.label}（{transition.article}）",
        )
