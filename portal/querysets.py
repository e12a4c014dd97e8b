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


class RestrictedQuerySet(models.QuerySet):
    """Rows the user's organization holds ``action`` permission on, through guardian's
    direct-FK group permission table. Superusers see everything; their reads of
    confidential records are audited by the views like anyone's.

    A third party's permission comes from a written consent, and is good only while a
    consent is live at the moment of reading: the periodic job that removes the
    permissions of lapsed consents only tidies up (DESIGN.md §3)."""

    def restrict(self, user: User, action: str = "view") -> RestrictedQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        organization = getattr(user, "organization", None)
        group_ids = user_group_ids(user)
        if not group_ids:
            return self.none()
        grants = group_permission_model(self.model).objects.filter(
            content_object=OuterRef("pk"),
            group_id__in=group_ids,
            permission_id=permission_id(self.model, action),
        )
        if organization.is_third_party:
            if action != "view":
                return self.none()
            from .models import DisclosureConsent

            live = DisclosureConsent.objects.active().filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=OuterRef("pk"),
                third_party_id=organization.pk,
            )
            return self.filter(Exists(grants), Exists(live))
        return self.filter(Exists(grants))

    def shared(self) -> RestrictedQuerySet:
        from .choices import RecordStatus

        return self.filter(status=RecordStatus.SHARED)


class PublicQuerySet(models.QuerySet):
    """Reference data every signed-in user may read and only administrators change."""

    def restrict(self, user: User, action: str = "view") -> PublicQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if action == "view" or user.is_superuser:
            return self
        return self.none()


class OrganizationQuerySet(PublicQuerySet):
    def on_side(self, side_id: int) -> OrganizationQuerySet:
        return self.filter(side_id=side_id)

    def of_sides(self) -> OrganizationQuerySet:
        """The ministries of both sides and their units: everyone a shared record reaches."""
        return self.filter(side__isnull=False)

    def third_parties(self) -> OrganizationQuerySet:
        return self.filter(side__isnull=True)


class NotificationQuerySet(models.QuerySet):
    """An inbox belongs to an organization: each member reads it, nobody else."""

    def restrict(self, user: User, action: str = "view") -> NotificationQuerySet:
        if not user.is_authenticated or not user.is_active or not user.organization_id:
            return self.none()
        return self.filter(organization_id=user.organization_id)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class ConsentQuerySet(models.QuerySet):
    """A consent is visible to the signatories of the side that gave it and to the
    third party it names."""

    def restrict(self, user: User, action: str = "view") -> ConsentQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        organization = user.organization
        if organization is None:
            return self.none()
        if organization.is_third_party:
            return self.filter(third_party_id=organization.pk) if action == "view" else self.none()
        return self.filter(side_id=organization.side_id)

    def active(self, at=None) -> ConsentQuerySet:
        from django.utils import timezone

        return self.filter(withdrawn_at__isnull=True, expires_at__gt=at or timezone.now())

    def due_for_revocation(self, at=None) -> ConsentQuerySet:
        from django.utils import timezone

        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(withdrawn_at__isnull=False) | Q(expires_at__lte=at)
        )


class AuditEntryQuerySet(models.QuerySet):
    """Contact-point officers read their own side's audit; administrators read all."""

    def restrict(self, user: User, action: str = "view") -> AuditEntryQuerySet:
        from .choices import Role

        if not user.is_authenticated or not user.is_active or action != "view":
            return self.none()
        if user.is_superuser or user.role == Role.ADMINISTRATOR:
            return self
        if user.role == Role.CONTACT_POINT_OFFICER and user.organization and user.organization.side_id:
            return self.filter(organization__side_id=user.organization.side_id)
        return self.none()


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
