from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..i18n import localized, request_language
from ..models import Amendment, Correspondence, Memorandum, Notification, Organization, Side
from ..records.api import (  # noqa: F401 - the kit's consent serializers, named with the core's
    DisclosureConsentSerializer,
    GrantConsentSerializer,
    SharedRecordFieldsMixin,
)
from .base import PortalModelSerializer, PortalSerializer


class DisplayNameField(serializers.CharField):
    """A record's name in the language the request asks for (``?lang=``, else
    ``Accept-Language``), by the portal's one naming rule (``portal.i18n``,
    docs/naming.md): what a page shows that reader. The ``name_*`` fields keep every
    rendering; this one is added beside them, read-only."""

    def __init__(self, field: str = "name", **kwargs):
        self.name_field = field
        kwargs.setdefault("source", "*")
        kwargs.setdefault(
            "help_text",
            f"The {field} in the language asked for (?lang=ja|en|ru|tg, else Accept-Language), "
            "or the next one the portal's naming rule falls back to.",
        )
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return localized(value, self.name_field, request_language(self.context.get("request")))


class RenderedMessageField(serializers.CharField):
    """An inbox item's message rendered in the language the request asks for, as
    ``DisplayNameField`` chooses it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        with translation.override(request_language(self.context.get("request"))):
            return value.message


class SideSerializer(PortalModelSerializer):
    display_name = DisplayNameField()

    class Meta:
        model = Side
        fields = ["id", "code", "country", "name_ja", "name_en", "name_ru", "name_tg", "display_name"]


class AmendmentSerializer(PortalModelSerializer):
    """Clause 9: an amendment or supplement, with both sides' written consent. The body
    of ``POST /memoranda/{id}/amendments/``, recorded by ``services.record_amendment``."""

    class Meta:
        model = Amendment
        fields = [
            "id",
            "agreed_on",
            "summary_ja",
            "summary_en",
            "summary_ru",
            "summary_tg",
            "japan_consent_reference",
            "partner_consent_reference",
        ]
        read_only_fields = ["id"]


class TerminationNoticeSerializer(PortalSerializer):
    """Clause 10: the day a side told the other that it wishes to end the Memorandum."""

    notified_on = serializers.DateField(
        help_text="The day of the notice; the Memorandum ends six months later."
    )


class MemorandumSerializer(PortalModelSerializer):
    sides = SideSerializer(many=True, read_only=True)
    display_title = DisplayNameField("title")
    amendments = AmendmentSerializer(many=True, read_only=True)
    ends_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Six months after a termination notice (clause 10); null while none was given.",
    )

    class Meta:
        model = Memorandum
        fields = [
            "id",
            "partner_country",
            "title_ja",
            "title_en",
            "title_ru",
            "title_tg",
            "display_title",
            "signed_in_japan_on",
            "signed_in_japan_at",
            "signed_by_partner_on",
            "signed_by_partner_at",
            "commenced_on",
            "termination_notified_on",
            "termination_notified_by",
            "ends_on",
            "sides",
            "amendments",
        ]


class OrganizationSerializer(PortalModelSerializer):
    side = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    display_name = DisplayNameField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "kind",
            "side",
            "parent",
            "is_signatory",
            "is_contact_point",
            "name_ja",
            "name_en",
            "name_ru",
            "name_tg",
            "display_name",
        ]


class CorrespondenceSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A letter (clause 2). ``recipient`` may be left out: the only one accepted is the
    other side's contact point, and it is the default. ``in_reply_to`` answers a sent
    letter the caller may read (a hidden id is refused like a missing one); the subject
    then defaults to "Re: …". ``thread_root`` names the thread's first letter; the
    whole thread is ``GET …/{id}/thread/``. Third parties are not shown where a letter
    sits in its thread."""

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recipient = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organization.objects.all(),
        required=False,
        help_text="The other side's contact point (the default; no other recipient is accepted).",
    )
    in_reply_to = serializers.PrimaryKeyRelatedField(
        queryset=Correspondence.objects.all(),
        required=False,
        allow_null=True,
        help_text="The id of the sent letter this one answers.",
    )
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True)

    class Meta:
        model = Correspondence
        fields = [
            "id",
            "origin",
            "recipient",
            "subject",
            "body",
            "in_reply_to",
            "thread_root",
            "status",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        # A letter is drafted with its recipient, subject and body; the kit's fields
        # are set by its actions (acknowledge, assign).
        read_only_fields = ["thread_root", "status", "created_at", "shared_at", "due_on"]

    def validate(self, attrs):
        """Clause 2's rule (``Correspondence.clean``) as field errors, before the service
        runs: a wrong recipient is a 400 naming ``recipient``."""
        from django.core.exceptions import ValidationError

        attrs = super().validate(attrs)
        request = self.context.get("request")
        organization = getattr(getattr(request, "user", None), "organization", None)
        if organization is None or organization.side_id is None:
            return attrs  # the service refuses whoever may not write
        instance = self.instance
        letter = Correspondence(
            memorandum_id=instance.memorandum_id if instance else organization.side.memorandum_id,
            origin=instance.origin if instance else organization,
            recipient=attrs.get("recipient")
            or (instance.recipient if instance else organization.side.counterpart().contact_point()),
            in_reply_to=attrs["in_reply_to"]
            if "in_reply_to" in attrs
            else getattr(instance, "in_reply_to", None),
        )
        if instance is not None:
            letter.pk = instance.pk
        try:
            letter.clean()
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        if instance is None and not attrs.get("subject") and letter.in_reply_to is None:
            raise serializers.ValidationError({"subject": [_("A letter needs a subject.")]})
        return attrs


class CorrespondenceThreadSerializer(PortalModelSerializer):
    """One letter of a thread, as the thread lists it."""

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recipient = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Correspondence
        fields = ["id", "reference", "subject", "origin", "recipient", "status", "created_at", "shared_at"]


class NotificationSerializer(PortalModelSerializer):
    message = RenderedMessageField()
    sender = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "sender", "url", "created_at", "read_at"]
