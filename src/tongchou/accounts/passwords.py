"""Password composition rule of 等保 level 3: at least three of the four character classes."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    min_classes = 3

    def validate(self, password: str, user: object = None) -> None:
        classes = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if classes < self.min_classes:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、特殊符号中的三类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "密码须至少包含大写字母、小写字母、数字、特殊符号中的三类。"
