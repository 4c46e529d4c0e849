"""Mail backends for the e-mail task's tests: a mail server that is unreachable for a while."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class UnreachableBackend(LocmemBackend):
    """Refuses the connection for the first `failures` sends (every send when None), then
    delivers to django.core.mail.outbox like the test backend."""

    failures: int | None = None
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if self.failures is None or type(self).attempts <= self.failures:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)
