"""An email backend for the worker tests: writes files like Django's file backend, but each
send first announces itself and then waits until the test opens a gate.

That lets a test catch a Celery worker in the middle of sending and kill it there.
Set REMINDER_TEST_GATE to the gate file's path; with no such variable it does not wait.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class GatedFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        gate = os.environ.get("REMINDER_TEST_GATE")
        if gate:
            gate = Path(gate)
            (gate.parent / f"sending-{os.getpid()}-{uuid.uuid4().hex}").touch()
            deadline = time.monotonic() + 120  # never hang a test run for ever
            while not gate.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return super().send_messages(email_messages)
