"""A stored file: the bytes live on disk under a generated name, the row says what they are."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class StoredFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    storage_name = models.CharField("存储名", max_length=100, unique=True)
    display_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    content_type = models.CharField("MIME 类型", max_length=120)
    size = models.PositiveBigIntegerField("大小（字节）")
    sm3 = models.CharField("SM3 摘要", max_length=64)
    purpose = models.CharField("用途", max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "文件"
        verbose_name_plural = "文件"
        constraints = [models.CheckConstraint(condition=models.Q(sm3__regex=r"^[0-9a-f]{64}$"), name="storedfile_sm3_hex")]

    def __str__(self) -> str:
        return self.display_name
