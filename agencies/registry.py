"""What the agencies app adds to the portal, registered at start-up: its URLs, API
routes and public index section (portal.hooks), audit action names and inbox kinds."""

from django.utils.translation import gettext_lazy as _

from portal import audit, hooks, notifications

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
    "publication.published": _("List version published"),
}

NOTIFICATION_KINDS = {
    "agency.certified": _("New certification: %(agency)s (No. %(number)s). Please acknowledge receipt."),
    "agency.revoked": _("Certification revoked: %(agency)s (No. %(number)s). Please acknowledge receipt."),
    "investigation.reported": _("Japan asks for an investigation of %(agency)s"),
    "investigation.result": _("Result of the investigation of %(agency)s received"),
    "investigation.reminder": _("The investigation of %(agency)s is due on %(due)s"),
}


def latest_agency_lists():
    """The latest version of each side's certified-agency list, for the public index (a
    query per side)."""
    from portal.models import Side

    from .models import Publication

    latest = (
        Publication.objects.filter(side=side)
        .order_by("-version")
        .only("side", "version", "published_at")
        .first()
        for side in Side.objects.order_by("pk")
    )
    return [publication for publication in latest if publication is not None]


def register() -> None:
    from .api.urls import ROUTES

    hooks.register_urls("agencies/", "agencies.urls")
    hooks.register_urls("agencies/", "agencies.public_urls", public=True)
    hooks.register_api_routes(ROUTES)
    hooks.register_public_index("agency_lists", latest_agency_lists)
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
