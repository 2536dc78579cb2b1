"""发文字号 (GB/T 9704): 发文机关代字〔年份〕序号号, allocated sequentially per issuer and year under
a row lock, so two issues at once never share a number (and a unique constraint backs it up)."""

from __future__ import annotations

from django.db import transaction

from tongchou.accounts.models import Level, Organisation
from tongchou.reviews.models import DocumentNumberCounter

PREFECTURE_BUREAU_CODE = "昌州数发"


def issuer_code(issuer: Organisation) -> str:
    """昌州数发 for the prefecture bureau; a county bureau uses its county's name: 昌吉市数发."""
    if issuer.level == Level.COUNTY and issuer.jurisdiction:
        return f"{issuer.jurisdiction}数发"
    return PREFECTURE_BUREAU_CODE


def format_doc_number(issuer: Organisation, year: int, seq: int) -> str:
    return f"{issuer_code(issuer)}〔{year}〕{seq}号"


def doc_number_allocate(*, issuer: Organisation, year: int) -> tuple[int, str]:
    """Must run inside the issuing transaction: a rollback gives the number back."""
    with transaction.atomic():
        DocumentNumberCounter.objects.get_or_create(issuer=issuer, year=year)
        counter = DocumentNumberCounter.objects.select_for_update().get(issuer=issuer, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return counter.last, format_doc_number(issuer, year, counter.last)
