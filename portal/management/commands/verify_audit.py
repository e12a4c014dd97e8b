"""Walk the audit chain from its first entry and check every chain head the contact
points received. Prints the count and the head; on a break, names the first entry that
does not verify and exits with status 1. Memory stays flat: entries are read in chunks
by keyset pagination."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal import audit_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and the chain heads exchanged with the contact points."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=5000, help="entries read per query")

    def handle(self, *args, chunk: int, **options):
        started = time.perf_counter()
        result = audit_chain.verify(chunk=chunk)
        elapsed = time.perf_counter() - started
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN after {result.entries} verified entries — {result.broken}"
            )
        head = f"#{result.head_id} {result.head_hash}" if result.head_id is not None else "(empty)"
        self.stdout.write(
            f"audit chain OK: {result.entries} entries, {result.heads_checked} chain heads checked, "
            f"head {head}, {elapsed:.1f} s"
        )
