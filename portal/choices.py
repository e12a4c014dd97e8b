"""Statuses, roles and transitions of the shared core, declared as data (STYLE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONTACT_POINT_OFFICER = "contact_point_officer", _("Contact-point officer")
    OFFICER = "officer", _("Officer")
    ANALYST = "analyst", _("Analyst (read-only)")
    THIRD_PARTY_VIEWER = "third_party_viewer", _("Third-party viewer")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles that may create, edit and share records of their own organization.
WRITER_ROLES = frozenset({Role.CONTACT_POINT_OFFICER, Role.OFFICER})


class OrganizationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    UNIT = "unit", _("Unit")
    EMBASSY = "embassy", _("Embassy")
    SECTOR_MINISTRY = "sector_ministry", _("Sector ministry")
    OTHER = "other", _("Other")


class RecordStatus(models.TextChoices):
    """Where a confidential record stands between its author and the other side."""

    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RECORD_TRANSITIONS: dict[str, frozenset[str]] = {
    RecordStatus.DRAFT: frozenset({RecordStatus.SHARED, RecordStatus.WITHDRAWN}),
    RecordStatus.SHARED: frozenset(),
    RecordStatus.WITHDRAWN: frozenset(),
}


class Action(models.TextChoices):
    """Object-permission actions used by ``restrict(user, action)``."""

    VIEW = "view", _("View")
    CHANGE = "change", _("Change")
