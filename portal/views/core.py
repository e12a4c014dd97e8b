"""The officer's side of the shared core: home, inbox, correspondence, consents, the
Memorandum and the organizations."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import services
from ..choices import RecordStatus
from ..exceptions import ServiceError
from ..forms import ConsentForm, CorrespondenceForm
from ..models import Correspondence, DisclosureConsent, Memorandum, Notification, Organization, SharedRecord
from .base import (
    RestrictedDetailView,
    RestrictedListView,
    ServiceActionView,
    get_restricted_or_404,
)


class HomeView(LoginRequiredMixin, TemplateView):
    """What awaits my organization: unread inbox items and our drafts."""

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
        return context


class InboxView(RestrictedListView):
    model = Notification
    template_name = "portal/inbox.html"
    context_object_name = "notifications"

    def get_queryset(self):
        return super().get_queryset().select_related("sender", "read_by")


class NotificationReadView(ServiceActionView):
    model = Notification

    def perform(self, obj):
        return services.mark_read(obj, self.request.user)

    def get_success_url(self, obj) -> str:
        return obj.url or "/inbox/"


class CorrespondenceListView(RestrictedListView):
    model = Correspondence
    template_name = "portal/correspondence_list.html"
    context_object_name = "letters"

    def get_queryset(self):
        return super().get_queryset().select_related("origin", "recipient")


class CorrespondenceDetailView(RestrictedDetailView):
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
        context["can_consent"] = (
            user.can_write and letter.status == RecordStatus.SHARED and letter.origin.side_id == user.side_id
        )
        context["consents"] = (
            DisclosureConsent.objects.restrict(user)
            .filter(
                content_type__app_label="portal", content_type__model="correspondence", object_id=letter.pk
            )
            .select_related("third_party")
        )
        return context


@login_required
def correspondence_create(request):
    user = request.user
    if not user.can_write or user.organization.is_third_party:
        raise Http404
    form = CorrespondenceForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.draft_correspondence(user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft saved. It is visible only to your organization until sent."))
            return redirect(letter)
    return render(request, "portal/correspondence_form.html", {"form": form})


class CorrespondenceSendView(ServiceActionView):
    model = Correspondence
    action = "change"

    def perform(self, obj):
        return services.send_correspondence(obj, self.request.user)

    @property
    def success_message(self):
        return _("Sent to the other side's contact point.")


class ConsentCreateView(LoginRequiredMixin, FormView):
    """Record a written consent for one record (any shareable model)."""

    form_class = ConsentForm
    template_name = "portal/consent_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
        except LookupError as exc:
            raise Http404 from exc
        if not issubclass(model, SharedRecord):
            raise Http404
        self.record = get_restricted_or_404(model, request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def form_valid(self, form):
        try:
            services.grant_consent(self.record, self.request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The written consent is recorded; the third party can read this record.")
        )
        return redirect(self.record)


class ConsentListView(RestrictedListView):
    model = DisclosureConsent
    template_name = "portal/consent_list.html"
    context_object_name = "consents"

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
