"""Issue 8, "tests that catch the class": the canary crawl.

A unique marker goes into every confidential text field of every record kind (each
side's, draft and shared, consented and not) and of the register of sending agencies;
then every URL pattern, every OpenAPI operation (also as the browsable API), the
exports, PDFs and public feeds are requested as every member of the cast and the
anonymous visitor, and every inbox item and e-mail is read. Any marker that reaches a
reader the rules (portal/testing/canary.py, agencies/testing.py) do not admit fails the
test, and so does any 5xx. The crawl only reads (GET).

One test function: the data is built once and shared by all roles (~10 readers), and
the whole run is rolled back with the test's transaction.
"""

from __future__ import annotations

import time

from django.test import Client

from portal import outbox
from portal.testing import canary as kit
from portal.testing.matrix import CAST

LEAK_LINES_SHOWN = 200


def _drain() -> int:
    """Deliver everything the services promised (publications, documents, inbox items,
    e-mails): unit tests run in one transaction, whose on-commit kick never comes."""
    total = 0
    for _round in range(20):
        done = outbox.drain()
        total += done
        if not done:
            break
    return total


def test_no_marker_reaches_a_reader_the_rules_do_not_admit(cast):
    started = time.monotonic()
    canary = kit.Canary(cast=cast)
    loaded = kit.load_app_scenarios()
    try:
        # Scenarios first: record kinds may be about their objects (an investigation's agency).
        for scenario in kit.SCENARIOS:
            scenario(canary)
        records = kit.plant_shared_records(
            canary,
            third_party=cast["embassy_viewer"].organization,
            officers={
                cast["jp_officer"].organization.side.code: cast["jp_officer"],
                cast["tj_officer"].organization.side.code: cast["tj_officer"],
            },
        )
        delivered = _drain()
        from portal.publication.models import (
            Publication,  # the lists must exist before the public pages are read
        )

        assert Publication.objects.exists(), "the lists were not published: the public pages would be empty"
        built = time.monotonic()

        message_leaks, messages_read = kit.message_leaks(canary)

        plan = kit.Crawl(canary).build()
        clients = {}
        for name in [*CAST, None]:
            client = Client(raise_request_exception=False)
            user = cast[name] if name else None
            if user is not None:
                client.force_login(user)
            clients[name or "anonymous"] = (client, kit.Reader.of_user(name or "anonymous", user))
        result = kit.Result()
        kit.crawl(clients, canary, plan, result)
        crawled = time.monotonic()

        # Nothing the crawl did may have put a marker in an inbox or an e-mail either.
        _drain()
        late_leaks, late_read = kit.message_leaks(canary)
        message_leaks += [leak for leak in late_leaks if leak not in message_leaks]
    finally:
        for cleanup in canary.cleanups:
            cleanup()

    leaks = result.leaks + message_leaks
    never_seen = sorted(set(canary.markers) - result.seen_by_allowed)
    figures = [
        f"scenario modules: {', '.join(loaded)}",
        f"record kinds: {', '.join(m._meta.label for m in kit.shared_record_kinds())}; records made: {records}",
        f"markers planted: {len(canary.markers)}; outbox entries delivered: {delivered}",
        f"URLs: {len(plan.with_kwargs)} with path arguments + {len(plan.without_kwargs)} without"
        f" (+{result.pages_followed} further pages of lists); OpenAPI GET operations: {plan.api_operations};"
        f" patterns not answering GET (not requested): {len(plan.post_only)}",
        f"roles × URLs: {len(clients)} readers, {result.requests} requests"
        f" ({', '.join(f'{k}={v}' for k, v in result.by_role.items())}); PDFs read: {result.pdfs}",
        f"messages read: {messages_read} inbox items and e-mails (+{late_read} after the crawl)",
        f"markers seen by an admitted reader: {len(result.seen_by_allowed)} of {len(canary.markers)}",
        f"leaks: {len(leaks)} ({len(result.leaks)} in responses, {len(message_leaks)} in messages);"
        f" 5xx responses: {len(result.server_errors)}",
        f"time: build {built - started:.1f} s, crawl {crawled - built:.1f} s",
    ]
    if plan.unfilled:
        figures.append(f"patterns with no value for their arguments (not requested): {plan.unfilled}")
    if plan.capped:
        figures.append(f"patterns with more argument combinations than tried: {plan.capped}")
    if plan.api_operations_unfilled:
        figures.append(f"OpenAPI operations not filled: {plan.api_operations_unfilled}")
    if canary.notes:
        figures += canary.notes
    if never_seen:
        sample = [f"{t} {canary.markers[t].kind}.{canary.markers[t].field}" for t in never_seen[:15]]
        figures.append(f"markers no admitted reader saw anywhere: {len(never_seen)}, e.g. {sample}")
    slowest = sorted(result.seconds.items(), key=lambda item: -item[1])[:12]
    figures.append("slowest URL patterns (s, all readers): " + ", ".join(f"{p} {s:.1f}" for p, s in slowest))
    print("\n== canary crawl ==\n" + "\n".join(figures))

    lines = kit.summarize(leaks)
    errors = kit.summarize_errors(result.server_errors)
    if lines:
        print(f"\n== leaks ({len(leaks)}, {len(lines)} groups) ==\n" + "\n".join(lines))
    if errors:
        print(f"\n== 5xx ({len(errors)}) ==\n" + "\n".join(errors))
    problems = []
    if lines:
        problems.append(f"{len(leaks)} markers reached readers the rules do not admit ({len(lines)} groups):")
        problems += lines[:LEAK_LINES_SHOWN]
    if errors:
        problems.append(f"{len(errors)} responses were server errors:")
        problems += errors[:50]
    assert not problems, "\n".join(problems)
