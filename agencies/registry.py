"""What the agencies app adds to the portal, registered at start-up: its URLs, API
routes, published list (``portal.publication``), beat entry, OpenAPI enum names, menu
entries and demo data (portal.hooks), audit action names and inbox kinds."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, inbox, notifications

AUDIT_ACTIONS = {
    "agency.registered": _("Sending agency registered"),
    "agency.updated": _("Sending agency details changed"),
    "agency.transition": _("Sending agency status changed"),
    "agency.acknowledged": _("Japan acknowledged a certification or revocation"),
    "agency.screening_recorded": _("Screening result recorded"),
    "agency.guidance_given": _("Guidance given to a sending agency"),
    "investigation.reported": _("Investigation requested by Japan"),
    "investigation.assigned": _("Investigation assigned"),
    "investigation.result_sent": _("Investigation result sent to Japan"),
}

NOTIFICATION_KINDS = {
    "agency.certified": _("New certification: %(agency)s (No. %(number)s). Please acknowledge receipt."),
    "agency.revoked": _("Certification revoked: %(agency)s (No. %(number)s). Please acknowledge receipt."),
    "investigation.reported": _("Japan asks for an investigation of %(agency)s"),
    "investigation.result": _("Result of the investigation of %(agency)s received"),
    "investigation.reminder": _("The investigation of %(agency)s is due on %(due)s"),
}


def register_beat() -> None:
    """Expiry of certifications, daily. The publication sweeps are the component's
    (``portal.publication``); reminders of due investigations are the kit's, for every
    record kind (``portal.records``)."""
    hooks.register_beat("agencies-expire", "agencies.tasks.expire_certifications", crontab(hour=0, minute=15))


INVESTIGATION_PAGES = frozenset({"investigations", "investigation", "assign", "result"})


def under_agencies(match) -> bool:
    """The menu's "Sending agencies" is the current entry on the app's agency pages."""
    return match is not None and match.app_name == "agencies" and match.url_name not in INVESTIGATION_PAGES


def under_investigations(match) -> bool:
    """ "Investigations" is the current entry on every investigation's page, not only its list."""
    return match is not None and match.app_name == "agencies" and match.url_name in INVESTIGATION_PAGES


def seed_demo(users) -> None:
    """About thirty demo sending agencies (agencies.demo), imported only when seeding:
    it builds on the test helpers."""
    from .demo import seed

    seed(users)


#: Rows an agencies card shows on the home page.
CARD_LIMIT = 10


def _japan_acknowledgements(user):
    """Certifications and revocations provided to Japan and not yet acknowledged (7(2),
    7(4)), for Japan's writers (the partner's side is excluded in SQL, so that the menu's
    count reads no side or memorandum row); ``None`` for those who cannot write."""
    from django.db.models import Exists, F

    from portal.models import Side

    from .choices import AgencyStatus
    from .models import AgencyEvent

    organization = getattr(user, "organization", None)
    if organization is None or organization.side_id is None or not getattr(user, "can_write", False):
        return None
    return (
        AgencyEvent.objects.restrict(user)
        .filter(to_status__in=[AgencyStatus.CERTIFIED, AgencyStatus.REVOKED], acknowledged_at__isnull=True)
        .filter(
            ~Exists(Side.objects.filter(pk=organization.side_id, memorandum__partner_country=F("country")))
        )
    )


def awaiting_japan_acknowledgement(user) -> dict | None:
    """Japan's writers: what they may acknowledge."""
    from . import policies

    events = _japan_acknowledgements(user)
    side = user.organization.side if events is not None else None
    if side is None or side.country == side.memorandum.partner_country:
        return None
    events = events.select_related("agency__memorandum").order_by("at", "pk")[:CARD_LIMIT]
    rows = [event for event in events if policies.can(policies.check_acknowledge, user, event)]
    return {"rows": rows}


def _awaiting_screening(user):
    """The partner ministry's officers: applications received and screenings under way."""
    from . import policies
    from .choices import AgencyStatus
    from .models import SendingAgency

    if not policies.can(policies.check_register, user, None):
        return None
    return SendingAgency.objects.restrict(user).filter(
        status__in=[AgencyStatus.APPLICATION_RECEIVED, AgencyStatus.UNDER_SCREENING]
    )


def awaiting_screening(user) -> dict | None:
    agencies = _awaiting_screening(user)
    if agencies is None:
        return None
    return {"rows": list(agencies.order_by("updated_at", "pk")[:CARD_LIMIT])}


def _work(build):
    """A card's ``work``: the one queryset ``build(user)`` gives, as a list."""
    return lambda user: None if (queryset := build(user)) is None else [queryset]


def register() -> None:
    from portal.publication import lists

    from . import publication
    from .api.urls import ROUTES

    hooks.register_urls("agencies/", "agencies.urls")
    lists.register(publication.AGENCY_LIST)
    hooks.register_api_routes(ROUTES)
    register_beat()
    hooks.register_enum_name("AgencyStatusEnum", "agencies.choices.AgencyStatus")
    hooks.register_enum_name("InvestigationStatusEnum", "agencies.choices.InvestigationStatus")
    hooks.register_enum_name("CriterionResultEnum", "agencies.choices.CriterionResult")
    # Named, so that another app's "outcome" (brokers' reports) does not rename it.
    hooks.register_enum_name("OutcomeEnum", "agencies.choices.InvestigationOutcome")
    # Officers of both sides; a third party reaches what was disclosed to it from its
    # home, and the certified list from the public site.
    hooks.register_nav_item(
        hooks.NavItem(
            _("Sending agencies"),
            "agencies:list",
            visible=hooks.officers_only,
            current=under_agencies,
            order=10,
        )
    )
    hooks.register_nav_item(
        hooks.NavItem(
            _("Investigations"),
            "agencies:investigations",
            visible=hooks.officers_only,
            current=under_investigations,
            order=20,
        )
    )
    hooks.register_seeder(seed_demo, order=10)
    hooks.register_home_card(
        hooks.HomeCard(
            "agencies/cards/acknowledge.html",
            awaiting_japan_acknowledgement,
            15,
            work=_work(_japan_acknowledgements),
        )
    )
    hooks.register_home_card(
        hooks.HomeCard(
            "agencies/cards/screening.html", awaiting_screening, 15, work=_work(_awaiting_screening)
        )
    )
    # Acknowledging what an inbox item announced resolves the item (portal.inbox).
    inbox.resolves("acknowledge", "investigation.reported", "agency.certified", "agency.revoked")
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
