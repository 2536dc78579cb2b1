"""A mail backend whose server is down, for the test that mail failure leaves the inbox intact."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):  # noqa: ANN001, ANN201
        raise ConnectionRefusedError("smtp down")
