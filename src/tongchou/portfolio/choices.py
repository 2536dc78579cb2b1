"""The Measures' classifications this app records (no models here, so the register may import them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ManagementMode(models.TextChoices):
    """Art. 3: how a project is built and managed."""

    UNIFIED = "unified", _("统一建设·统筹管理")
    SPECIALISED = "specialised", _("专业建设·分类管理")


class FundingRouteKind(models.TextChoices):
    """Art. 15: the two ways a fiscally funded project obtains its money."""

    PREFECTURE_BUDGET = "prefecture_budget", _("纳入州财政预算")
    MAJOR_EXPENDITURE_MEETING = "major_expenditure_meeting", _("州人民政府重大财政支出专题会和州党委财经委员会研究审议")
