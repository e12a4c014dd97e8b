from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..disclosure import prefetch_consents
from ..models import Correspondence, DisclosureConsent, Memorandum, Notification, Organization
from ..records.api import SharedRecordActionsMixin
from .base import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from .serializers import (
    AmendmentSerializer,
    CorrespondenceSerializer,
    CorrespondenceThreadSerializer,
    DisclosureConsentSerializer,
    MemorandumSerializer,
    NotificationSerializer,
    OrganizationSerializer,
    TerminationNoticeSerializer,
)


class MemorandumViewSet(RestrictedReadOnlyViewSet):
    """The Memorandum: signature, commencement and termination (clauses 9 and 10)."""

    model = Memorandum
    serializer_class = MemorandumSerializer
    ordering = ["id"]
    # Reference data no one changes directly: the services decide who records a
    # termination notice or an amendment (portal.policies).
    action_permissions = {"terminate": "view", "amendments": "view"}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sides", "amendments").order_by("id")

    @extend_schema(request=TerminationNoticeSerializer, responses=MemorandumSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """Clause 10: a contact-point officer records its side's termination notice, once."""
        memorandum = self.get_object()
        body = self.validated_body(TerminationNoticeSerializer)
        memorandum = services.notify_termination(memorandum, request.user, **body)
        return Response(self.get_serializer(self.get_queryset().get(pk=memorandum.pk)).data)

    @extend_schema(request=AmendmentSerializer, responses={201: AmendmentSerializer})
    @action(detail=True, methods=["post"])
    def amendments(self, request, pk=None):
        """Clause 9: a contact-point officer records an amendment with both sides' written consent."""
        memorandum = self.get_object()
        body = self.validated_body(AmendmentSerializer)
        amendment = services.record_amendment(memorandum, request.user, **body)
        return Response(
            AmendmentSerializer(amendment, context=self.get_serializer_context()).data, status=201
        )


class OrganizationViewSet(RestrictedReadOnlyViewSet):
    """Signatory ministries, contact points and third parties."""

    model = Organization
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "is_signatory", "is_contact_point"]

    def get_queryset(self):
        return super().get_queryset().select_related("side", "parent").order_by("id")


class CorrespondenceViewSet(SharedRecordActionsMixin, RestrictedModelViewSet):
    """Letters between the contact points (clause 2). Drafts are visible to their
    organization only; ``send`` shares them with the other side, which acknowledges and
    assigns them (the kit's actions, ``portal.records.api``)."""

    model = Correspondence
    serializer_class = CorrespondenceSerializer
    filterset_fields = ["status", "reference"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"send": "change", "withdraw": "change"}

    def get_queryset(self):
        return super().get_queryset().select_related("origin", "recipient", "assigned_to").order_by("-id")

    def perform_create(self, serializer):
        serializer.instance = services.draft_correspondence(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_record(
            serializer.instance, self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses=CorrespondenceSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        letter = services.send_correspondence(self.get_object(), request.user)
        return Response(self.get_serializer(letter).data)

    @extend_schema(request=None, responses=CorrespondenceSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        letter = services.withdraw_draft(self.get_object(), request.user)
        return Response(self.get_serializer(letter).data)

    @extend_schema(request=None, responses=CorrespondenceThreadSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def thread(self, request, pk=None):
        """The letters of this letter's thread the caller may read, oldest first (a third
        party reads those it was disclosed, nothing of the others)."""
        letters = list(services.letter_thread(self.get_object(), request.user))
        prefetch_consents(letters, request.user)
        context = self.get_serializer_context()
        return Response(CorrespondenceThreadSerializer(letters, many=True, context=context).data)


class NotificationViewSet(RestrictedReadOnlyViewSet):
    """My organization's inbox."""

    model = Notification
    serializer_class = NotificationSerializer
    any_role_actions = {"read"}
    filterset_fields = ["kind"]

    def get_queryset(self):
        return super().get_queryset().select_related("sender").order_by("-created_at", "-id")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.mark_read(self.get_object(), request.user)
        return Response(self.get_serializer(notification).data)


class DisclosureConsentViewSet(RestrictedReadOnlyViewSet):
    """Written consents to disclose a record to a third party (clause 3)."""

    model = DisclosureConsent
    serializer_class = DisclosureConsentSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("third_party", "content_type").order_by("-id")

    @extend_schema(request=None, responses=DisclosureConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = services.withdraw_consent(self.get_object(), request.user)
        return Response(self.get_serializer(consent).data)
