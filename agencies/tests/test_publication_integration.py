"""Publication end to end with a real Celery worker, Redis and PostgreSQL: certify →
both sides' public lists show the agency; revoke → it moves to the revoked section
with its date and reason."""

import pytest
from django.conf import settings
from django.test import Client

from agencies import services
from agencies.choices import RevocationReason
from agencies.testing import certified
from portal.publication.reading import published_lists
from portal.testing.processes import celery, portal_env, wait_for, worker_ready

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _sections(side: str) -> tuple[str, str]:
    html = Client().get(f"/public/agencies/{side}/?lang=en").content.decode()
    if 'id="withdrawn-heading"' not in html:
        return "", ""
    return tuple(html.split('id="withdrawn-heading"'))


def test_certify_then_revoke_reaches_both_public_lists(cast, tmp_path):
    published_lists.clear()
    log = tmp_path / "worker.log"
    env = portal_env(REDIS_URL=settings.REDIS_URL)
    with celery(
        "worker", "-Q", "celery,documents", "--concurrency", "2", "--loglevel", "INFO", env=env, log=log
    ):
        wait_for(lambda: worker_ready(log), timeout=60, what="the Celery worker")
        agency = certified(cast["tj_officer"], number="INT-0001", name_tg="Ширкати «Интеграция»")
        for side in ("japan", "tajikistan"):
            wait_for(
                lambda side=side: "INT-0001" in _sections(side)[0], timeout=30, what=f"{side} list to show it"
            )

        services.revoke(
            agency,
            cast["tj_officer"],
            reason="Held passports",
            public_reason=RevocationReason.IMPROPER_CONDUCT,
        )
        for side in ("japan", "tajikistan"):
            wait_for(
                lambda side=side: "INT-0001" in _sections(side)[1], timeout=30, what=f"{side} revoked section"
            )
            certified_part, withdrawn_part = _sections(side)
            assert "INT-0001" not in certified_part
            assert str(RevocationReason.IMPROPER_CONDUCT.label) in withdrawn_part
        feed = Client().get("/public/agencies/japan/feed.atom").content.decode()
        assert "INT-0001" in feed
        # The worker also renders the PDF of each version.
        from portal.publication.models import Publication

        wait_for(lambda: not Publication.objects.filter(pdf_sha256="").exists(), timeout=60, what="the PDFs")
    assert log.read_text().count("Traceback") == 0
