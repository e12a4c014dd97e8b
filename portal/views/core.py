"""The officer's side of the shared core: home, inbox, correspondence, consents, the
Memorandum and the organizations."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from .. import hooks, services
from ..choices import RecordStatus
from ..filters import ConsentFilterSet, CorrespondenceFilterSet, FilteredListMixin, InboxFilterSet
from ..forms import CorrespondenceForm
from ..models import Correspondence, DisclosureConsent, Memorandum, Notification, Organization
from ..records.views import SharedRecordPanelsMixin
from .base import (
    RestrictedDetailView,
    RestrictedListView,
    ServiceActionView,
    ServiceFormView,
)


class HomeView(LoginRequiredMixin, TemplateView):
    """What awaits my organization: unread inbox items and our drafts, then the cards
    the apps registered (``portal.hooks.register_home_card``), each with what its
    provider gives for this user."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["unread"] = Notification.objects.restrict(user).unread().select_related("sender")[:10]
        context["drafts"] = (
            Correspondence.objects.restrict(user, "change")
            .filter(status=RecordStatus.DRAFT, origin_id=user.organization_id)
            .select_related("recipient")[:10]
        )
        context["memorandum"] = Memorandum.objects.restrict(user).order_by("pk").first()
        cards = ((card.template, card.context(user)) for card in hooks.HOME_CARDS)
        context["home_cards"] = [
            {"template": template, "context": card} for template, card in cards if card is not None
        ]
        return context


class InboxView(FilteredListMixin, RestrictedListView):
    model = Notification
    template_name = "portal/inbox.html"
    context_object_name = "notifications"
    filterset_class = InboxFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("sender", "read_by")


class NotificationReadView(ServiceActionView):
    model = Notification

    def perform(self, obj):
        return services.mark_read(obj, self.request.user)

    def get_success_url(self, obj) -> str:
        return obj.url or "/inbox/"


class CorrespondenceListView(FilteredListMixin, RestrictedListView):
    model = Correspondence
    template_name = "portal/correspondence_list.html"
    context_object_name = "letters"
    filterset_class = CorrespondenceFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("origin", "recipient")


class CorrespondenceDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = Correspondence
    template_name = "portal/correspondence_detail.html"
    context_object_name = "letter"

    def get_queryset(self):
        return super().get_queryset().select_related("origin", "recipient", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        letter = self.object
        context["can_send"] = (
            user.can_write
            and letter.origin_id == user.organization_id
            and letter.status == RecordStatus.DRAFT
        )
        return context


class CorrespondenceCreateView(ServiceFormView):
    form_class = CorrespondenceForm
    template_name = "portal/correspondence_form.html"
    success_message = gettext_lazy("Draft saved. It is visible only to your organization until sent.")

    def allowed(self, user) -> bool:
        return user.can_write and not user.organization.is_third_party

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.draft_correspondence(self.request.user, **form.cleaned_data)


correspondence_create = CorrespondenceCreateView.as_view()


class CorrespondenceSendView(ServiceActionView):
    model = Correspondence
    action = "change"

    def perform(self, obj):
        return services.send_correspondence(obj, self.request.user)

    @property
    def success_message(self):
        return _("Sent to the other side's contact point.")


class ConsentListView(FilteredListMixin, RestrictedListView):
    model = DisclosureConsent
    template_name = "portal/consent_list.html"
    context_object_name = "consents"
    filterset_class = ConsentFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("third_party", "granted_by", "content_type")


class ConsentWithdrawView(ServiceActionView):
    model = DisclosureConsent

    def perform(self, obj):
        return services.withdraw_consent(obj, self.request.user)

    def get_success_url(self, obj) -> str:
        return "/consents/"

    @property
    def success_message(self):
        return _("The consent is withdrawn; the third party can no longer read the record.")


class MemorandumDetailView(RestrictedDetailView):
    model = Memorandum
    template_name = "portal/memorandum_detail.html"
    context_object_name = "memorandum"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sides"] = self.object.sides.prefetch_related("organizations")
        context["amendments"] = self.object.amendments.all()
        return context


class OrganizationListView(RestrictedListView):
    model = Organization
    template_name = "portal/organization_list.html"
    context_object_name = "organizations"
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset().select_related("side", "parent")
