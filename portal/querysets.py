"""Every read that reaches a user goes through ``restrict(user, action)``.

Base views and viewsets (``portal.views.base``, ``portal.api.base``) call it, so a view
cannot forget it (STYLE.md §6). For confidential records the filter is an ``Exists``
over the record's direct foreign-key group-permission table, by permission and the
user's organization group: at 100,000 objects that is ~7 ms a page where guardian's
``get_objects_for_user`` with a queryset is ~40-110 ms
(shared/notes/guardian-at-scale.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from .models import User


def user_group_ids(user: User) -> list[int]:
    """The groups whose object permissions a user holds: their organization's group."""
    organization = getattr(user, "organization", None)
    return [organization.group_id] if organization is not None else []


_PERMISSION_IDS: dict[tuple[int, str], int] = {}


def permission_id(model: type[models.Model], action: str) -> int:
    """The id of ``<action>_<model>``, cached per process. Filtering the grants by id,
    not by a join on auth_permission, lets the planner estimate the rows: at 100,000
    records the count drops from ~240 ms to ~60 ms (bench/restrict_at_scale.py).
    The cache is cleared on post_migrate, which also follows a test database flush."""
    from django.contrib.auth.models import Permission

    content_type = ContentType.objects.get_for_model(model)  # cached by Django
    key = (content_type.pk, f"{action}_{model._meta.model_name}")
    if key not in _PERMISSION_IDS:
        _PERMISSION_IDS[key] = (
            Permission.objects.only("pk").get(content_type=content_type, codename=key[1]).pk
        )
    return _PERMISSION_IDS[key]


def clear_permission_cache(**kwargs) -> None:
    _PERMISSION_IDS.clear()


def group_permission_model(model: type[models.Model]) -> type[models.Model]:
    from guardian.utils import get_group_obj_perms_model

    return get_group_obj_perms_model(model)


#: A rule that selects no row.
NOTHING = Q(pk__in=[])


class ScopedQuerySet(models.QuerySet):
    """The one ``restrict()`` (STYLE.md §6): the same prelude for every model — nobody
    who is signed out or deactivated reads anything — then the model's rule.

    A subclass implements ``rule(user, action)``, returning the ``Q`` of the rows the
    user may ``action``, ``None`` for every row, or ``NOTHING``. Superusers get every
    row unless the class says otherwise (an inbox is its organization's alone)."""

    superuser_sees_all = True

    def restrict(self, user: User, action: str = "view"):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser and self.superuser_sees_all:
            return self
        rule = self.rule(user, action)
        if rule is None:
            return self
        if rule is NOTHING:
            return self.none()
        return self.filter(rule)

    def rule(self, user: User, action: str) -> Q | None:
        raise NotImplementedError


class RestrictedQuerySet(ScopedQuerySet):
    """Rows the user's organization holds ``action`` permission on, through guardian's
    direct-FK group permission table. Superusers see everything; their reads of
    confidential records are audited by the views like anyone's.

    A third party's permission comes from a written consent, and is good only while a
    consent is live at the moment of reading: the periodic job that removes the
    permissions of lapsed consents only tidies up (DESIGN.md §3)."""

    def rule(self, user: User, action: str) -> Q:
        organization = getattr(user, "organization", None)
        group_ids = user_group_ids(user)
        if not group_ids:
            return NOTHING
        grants = Exists(
            group_permission_model(self.model).objects.filter(
                content_object=OuterRef("pk"),
                group_id__in=group_ids,
                permission_id=permission_id(self.model, action),
            )
        )
        if not organization.is_third_party:
            return Q(grants)
        if action != "view":
            return NOTHING
        # The organization's consents, through their foreign key: querysets sit below
        # the models and import none of them.
        live = organization.consents_received.active().filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
        )
        return Q(grants) & Q(Exists(live))

    def shared(self) -> RestrictedQuerySet:
        from .choices import RecordStatus

        return self.filter(status=RecordStatus.SHARED)


class PublicQuerySet(ScopedQuerySet):
    """Reference data every signed-in user may read and only administrators change."""

    def rule(self, user: User, action: str) -> Q | None:
        return None if action == "view" else NOTHING


class OrganizationQuerySet(PublicQuerySet):
    def on_side(self, side_id: int) -> OrganizationQuerySet:
        return self.filter(side_id=side_id)

    def of_sides(self) -> OrganizationQuerySet:
        """The ministries of both sides and their units: everyone a shared record reaches."""
        return self.filter(side__isnull=False)

    def third_parties(self) -> OrganizationQuerySet:
        return self.filter(side__isnull=True)


class NotificationQuerySet(ScopedQuerySet):
    """An inbox belongs to an organization: each member reads it, nobody else — not a
    superuser either."""

    superuser_sees_all = False

    def rule(self, user: User, action: str) -> Q:
        return Q(organization_id=user.organization_id) if user.organization_id else NOTHING

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class ConsentQuerySet(ScopedQuerySet):
    """A consent is visible to the signatories of the side that gave it and to the
    third party it names."""

    def rule(self, user: User, action: str) -> Q:
        organization = user.organization
        if organization is None:
            return NOTHING
        if organization.is_third_party:
            return Q(third_party_id=organization.pk) if action == "view" else NOTHING
        return Q(side_id=organization.side_id)

    def active(self, at=None) -> ConsentQuerySet:
        from django.utils import timezone

        return self.filter(withdrawn_at__isnull=True, expires_at__gt=at or timezone.now())

    def due_for_revocation(self, at=None) -> ConsentQuerySet:
        from django.utils import timezone

        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(withdrawn_at__isnull=False) | Q(expires_at__lte=at)
        )


class ConsentRequestQuerySet(ScopedQuerySet):
    """A request to disclose a record is between the two sides: their organizations
    read those of their memorandum; a third party reads none (what it is given is the
    consent, once granted)."""

    def rule(self, user: User, action: str) -> Q:
        organization = user.organization
        if organization is None or organization.is_third_party:
            return NOTHING
        return Q(side__memorandum_id=organization.side.memorandum_id)

    def pending(self) -> ConsentRequestQuerySet:
        return self.filter(status="pending")


class AuditEntryQuerySet(ScopedQuerySet):
    """Contact-point officers read their own side's audit; administrators read all.
    Nobody changes it."""

    def restrict(self, user: User, action: str = "view") -> AuditEntryQuerySet:
        return super().restrict(user, action) if action == "view" else self.none()

    def rule(self, user: User, action: str) -> Q | None:
        from .choices import Role

        if user.role == Role.ADMINISTRATOR:
            return None
        if user.role == Role.CONTACT_POINT_OFFICER and user.organization and user.organization.side_id:
            return Q(organization__side_id=user.organization.side_id)
        return NOTHING


def permitted_ids(user: User, objects, action: str = "change") -> set[int]:
    """Of ``objects`` (one page), the ids the user's organization holds ``action`` on,
    in one query: per-row checks without one query a row (~2 ms for 50 rows at
    100,000 records, where 50 unprefetched has_perm calls cost ~70 ms)."""
    objects = list(objects)
    if not objects:
        return set()
    model = type(objects[0])
    if user.is_superuser:
        return {obj.pk for obj in objects}
    return set(
        group_permission_model(model)
        .objects.filter(
            content_object__in=[obj.pk for obj in objects],
            group_id__in=user_group_ids(user),
            permission_id=permission_id(model, action),
        )
        .values_list("content_object_id", flat=True)
    )
