"""The audit action names and inbox kinds of the agencies app, registered at start-up."""

from django.utils.translation import gettext_lazy as _

from portal import audit, notifications

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


def register() -> None:
    for name, label in AUDIT_ACTIONS.items():
        audit.register(name, label)
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register(kind, message)
