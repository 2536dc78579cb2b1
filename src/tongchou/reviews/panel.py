"""The expert review of a joint round (Art. 14, 32). The seam for the expert pool: today the bureau
records each expert's conclusion by hand; when the pool's draw lands, the draw's selected experts
are recorded through the same `expert_conclusion_record` with `expert_ref` and `source="draw"`."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.reviews.access import require_authority
from tongchou.reviews.models import Conclusion, ExpertConclusion, ReviewRound, RoundStatus


def expert_conclusion_record(
    *,
    review_round: ReviewRound,
    actor: Any,
    expert_name: str,
    conclusion: str,
    comments: str,
    expert_org: str = "",
    category: str = "",
    expert_ref: str = "",
    source: str = "manual",
) -> ExpertConclusion:
    expert_name = (expert_name or "").strip()
    if not expert_name:
        raise DomainError("请填写专家姓名。", code="required", field="expert_name")
    if conclusion not in Conclusion.values:
        raise DomainError("结论须为同意、修改后同意或不同意。", code="invalid", field="conclusion")
    if not (comments or "").strip():
        raise DomainError("请填写专家评审意见。", code="required", field="comments")
    with transaction.atomic():
        current = ReviewRound.objects.select_for_update().select_related("project", "project__unit").get(
            pk=review_round.pk)
        require_authority(actor, current.project, "登记专家评审意见", "第十四条、第三十二条")
        if current.status != RoundStatus.OPEN:
            raise Conflict("该审查轮次已结束。", code="round_closed")
        if not current.expert_review:
            raise DomainError("该审查路径不需要专家评审。", code="not_needed", article="第十七条")
        try:
            with transaction.atomic():
                row = ExpertConclusion.objects.create(
                    round=current, expert_ref=expert_ref.strip(), expert_name=expert_name,
                    expert_org=expert_org.strip(), category=category.strip(), source=source,
                    conclusion=conclusion, comments=comments.strip(), recorded_by=actor,
                    recorded_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict(f"专家{expert_name}的评审意见已经登记。", code="duplicate", field="expert_name") from exc
        # The expert's name stays out of the audit payload (personal data); the row id identifies it.
        audit_record(event="reviews.expert_conclusion", actor=actor, target=current,
                     data={"expert_conclusion": row.pk, "conclusion": conclusion, "source": source})
    return row
