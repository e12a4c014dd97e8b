"""A test-only e-mail backend for integration tests: each message becomes one file in
``TEST_MAIL_DIR`` named by its Message-ID, written after a pause.

The pause (``TEST_MAIL_DELAY`` seconds, 0.2 by default) stands for an SMTP round trip
and lets a test kill a worker in the middle of a batch; one file per message lets the
test, in another process, count how often each message was sent. The directory comes
from the environment because the worker is a separate process and the settings read no
``EMAIL_FILE_PATH``.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.directory = Path(os.environ["TEST_MAIL_DIR"])
        self.delay = float(os.environ.get("TEST_MAIL_DELAY", "0.2"))

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            time.sleep(self.delay)
            mime = message.message()
            # A message sent twice gets a second file, never overwrites the first; the
            # rename is the moment the message counts as sent.
            stem = f"{mime['Message-ID'].strip('<>')}~{uuid.uuid4().hex}"
            partial = self.directory / f"{stem}.partial"
            partial.write_bytes(mime.as_bytes())
            partial.rename(self.directory / f"{stem}.eml")
        return len(email_messages)


def sent(directory: Path) -> dict[str, int]:
    """How many times each Message-ID (without angle brackets) was sent."""
    counts: dict[str, int] = {}
    for path in directory.glob("*.eml"):
        message_id = path.name.split("~", 1)[0]
        counts[message_id] = counts.get(message_id, 0) + 1
    return counts
