"""The officer's side of the shared core: home, inbox, correspondence, consents, the
Memorandum and the organizations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from .. import hooks, inbox, services
from ..choices import RecordStatus
from ..disclosure import disclose_all
from ..filters import ConsentFilterSet, CorrespondenceFilterSet, FilteredListMixin, InboxFilterSet
from ..forms import CorrespondenceForm
from ..models import Correspondence, DisclosureConsent, Memorandum, Notification, Organization
from ..records.policies import can
from ..records.views import SharedRecordPanelsMixin
from .base import (
    RestrictedDetailView,
    RestrictedListView,
    ServiceActionView,
    ServiceFormView,
    get_restricted_or_404,
)


class HomeView(LoginRequiredMixin, TemplateView):
    """A work queue: first the cards the apps registered (``portal.hooks.register_home_card``:
    the kit's awaiting acknowledgement, assigned to me, due and overdue, drafts, for every
    record kind; the agencies' own), each with what its provider gives for this user,
    then the recent unread inbox items. A third party's home is what was disclosed to it
    (the kit's card), nothing else."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        organization = user.organization
        context["third_party"] = third_party = organization is not None and organization.is_third_party
        if not third_party:
            context["unread"] = Notification.objects.restrict(user).unread().select_related("sender")[:10]
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back"] = self.request.get_full_path()
        return context


def local_path(url: str, fallback: str) -> str:
    """``url`` if it is a path on this site, else ``fallback``: an inbox item or a
    ``next`` parameter never sends the reader elsewhere (no open redirect)."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return fallback


class NotificationOpenView(LoginRequiredMixin, View):
    """Opening an inbox item marks it read (audited, by ``services.mark_read``) and goes
    to what it is about."""

    def get(self, request, pk):
        notification = get_restricted_or_404(Notification, request.user, pk, "view")
        services.mark_read(notification, request.user)
        return redirect(local_path(notification.url, reverse("inbox")))


class NotificationReadView(ServiceActionView):
    """Mark one item read and stay on the inbox (its filters and page kept)."""

    model = Notification

    def perform(self, obj):
        return services.mark_read(obj, self.request.user)

    def get_success_url(self, obj) -> str:
        return local_path(self.request.POST.get("next", ""), reverse("inbox"))


class NotificationReadAllView(LoginRequiredMixin, View):
    """Mark every unread item of the organization's inbox read (one audit entry)."""

    http_method_names = ["post"]

    def post(self, request):
        count = inbox.mark_all_read(request.user)
        if count:
            messages.success(
                request,
                ngettext("%(count)d item marked as read.", "%(count)d items marked as read.", count)
                % {"count": count},
            )
        else:
            messages.info(request, _("There was nothing unread."))
        return redirect(local_path(request.POST.get("next", ""), reverse("inbox")))


class CorrespondenceListView(FilteredListMixin, RestrictedListView):
    """One row per letter, a reply marked as one (with the reference of the letter it
    answers, when the reader may read that letter). Not one row per thread: who reads a
    letter is decided letter by letter, so a third party may read a reply without its
    first letter, and a row standing for a thread would have to summarise letters some
    readers may not see; each letter also waits for its own acknowledgement."""

    model = Correspondence
    template_name = "portal/correspondence_list.html"
    context_object_name = "letters"
    filterset_class = CorrespondenceFilterSet

    def get_queryset(self):
        # The answered letter's reference in the same query, through restrict(): a
        # reader who may not read it gets only "reply", not whose.
        answered = Correspondence.objects.restrict(self.request.user).filter(pk=OuterRef("in_reply_to_id"))
        return (
            super()
            .get_queryset()
            .select_related("origin", "recipient")
            .annotate(answers_reference=Subquery(answered.values("reference")[:1]))
        )


class CorrespondenceDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    """A letter with its whole thread, oldest first — the letters of it the reader may
    read (``services.letter_thread``), one query whatever the thread's length — and a
    "Reply" action for whoever may answer it."""

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
        context["can_reply"] = can(services.check_reply, user, letter)
        # Shown when the reader may read another letter of the thread: alone, the
        # letter is its own thread and the list would say nothing more.
        thread = list(services.letter_thread(letter, user))
        context["thread"] = disclose_all(thread, user) if len(thread) > 1 else []
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


class CorrespondenceReplyView(CorrespondenceCreateView):
    """Answer a letter one may read: a draft in its thread, to the other side's contact
    point, "Re: …" unless changed. A 404 for whoever may not answer it (a third party,
    a reader, a letter not sent)."""

    model = Correspondence
    action = "view"

    def allowed(self, user) -> bool:
        return can(services.check_reply, user, self.object)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "in_reply_to": self.object}

    def perform(self, form):
        return services.draft_correspondence(self.request.user, in_reply_to=self.object, **form.cleaned_data)


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


class OrganizationListView(RestrictedListView):
    model = Organization
    template_name = "portal/organization_list.html"
    context_object_name = "organizations"
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset().select_related("side", "parent")
