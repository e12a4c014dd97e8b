"""Officer pages of consultations (4(2)): the list, a consultation with its participants,
agenda, records on the agenda, minutes and their agreements, action items and briefing
packs (and the kit's panels), and the forms behind each.

Every read goes through the restricted base views (out of scope is a 404, audited);
rows are read through ``reading`` (a third party sees the consenting sides' rows, nobody
sees a record on the agenda they may not read); every change is a service asked through
``ServiceFormView`` / ``ServiceActionView``; the buttons shown are those the policies
allow. The pack's status page refreshes itself (``<meta http-equiv="refresh">``): no
script is needed under the content-security policy."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import get_language, gettext_lazy
from django.views.generic import DetailView

from notices.models import ActionItem, AgendaItem, BriefingPack, Consultation
from portal import audit
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import (
    RestrictedDetailView,
    RestrictedListView,
    ServiceActionView,
    ServiceFormView,
    get_restricted_or_404,
)

from . import policies, reading, services
from .choices import BriefingPackStatus
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    CloseActionItemForm,
    ConsultationForm,
    LinkForm,
    MinutesForm,
    PackForm,
    ParticipantForm,
)


class ConsultationListView(RestrictedListView):
    model = Consultation
    template_name = "notices/consultations/consultation_list.html"
    context_object_name = "consultations"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side").order_by("-starts_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_schedule"] = policies.can(policies.check_schedule, self.request.user, None)
        return context


def packs_of(consultation, user):
    """The packs ``user`` may open: those asked for by their own organization (a pack
    holds what its requester's organization may read)."""
    packs = consultation.packs.select_related("requested_by")
    if user.is_superuser:
        return packs
    return (
        packs.filter(requested_by__organization_id=user.organization_id)
        if user.organization_id
        else packs.none()
    )


class ConsultationDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = Consultation
    template_name = "notices/consultations/consultation_detail.html"
    context_object_name = "consultation"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation, user = self.object, self.request.user
        party = policies.can(policies.check_party, user, consultation)
        items = list(reading.action_items(consultation, user))
        context.update(
            participants=reading.participants(consultation, user),
            agenda=reading.agenda(consultation, user),
            action_items=[(item, party and item.status == "open") for item in items],
            agreements=reading.agreements(consultation, user),
            packs=packs_of(consultation, user)[:5],
            can_change=policies.can(policies.check_change, user, consultation),
            can_work=party,
            can_agree=policies.can(policies.check_agree, user, consultation),
            can_pack=policies.can(policies.check_pack, user, consultation),
            pack_form=PackForm(initial={"language": get_language()}, auto_id="id_pack_%s"),
        )
        return context


class ConsultationCreateView(ServiceFormView):
    title = gettext_lazy("Call a consultation")
    lead = gettext_lazy("The consultation is shared with the other side at once; its contact point is told.")
    submit = gettext_lazy("Call and share")
    success_message = gettext_lazy("The consultation is called and shared with the other side.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_schedule, user, None)

    def get_form(self, form_class=None):
        return ConsultationForm(**self.get_form_kwargs())

    def perform(self, form):
        return services.schedule_consultation(self.request.user, **form.facts())


class _ConsultationFormView(ServiceFormView):
    """A form on one consultation: reading it is enough to reach it; the policy decides."""

    model = Consultation
    action = "view"
    check = staticmethod(policies.check_party)

    def allowed(self, user) -> bool:
        return policies.can(self.check, user, self.object)


class ConsultationEditView(_ConsultationFormView):
    check = staticmethod(policies.check_change)
    title = gettext_lazy("Change the date or place of the consultation")
    submit = gettext_lazy("Save the change")
    success_message = gettext_lazy("The change is saved; the other side is told.")

    def get_form(self, form_class=None):
        return ConsultationForm(
            **self.get_form_kwargs(), instance=Consultation.objects.get(pk=self.object.pk)
        )

    def perform(self, form):
        return services.change_consultation(self.object, self.request.user, **form.facts())


class ParticipantView(_ConsultationFormView):
    title = gettext_lazy("Add a participant")
    submit = gettext_lazy("Add")
    success_message = gettext_lazy("The participant is added.")

    def get_form(self, form_class=None):
        return ParticipantForm(**self.get_form_kwargs(), consultation=self.object)

    def perform(self, form):
        services.add_participant(self.object, self.request.user, **form.cleaned_data)
        return self.object


class AgendaItemView(_ConsultationFormView):
    title = gettext_lazy("Add an agenda item")
    lead = gettext_lazy("Only records you can read can be put on the agenda.")
    submit = gettext_lazy("Add")
    success_message = gettext_lazy("The agenda item is added.")
    form_class = AgendaItemForm

    def perform(self, form):
        services.add_agenda_item(self.object, self.request.user, **form.cleaned_data)
        return self.object


class LinkView(_ConsultationFormView):
    title = gettext_lazy("Put a record on the agenda item")
    lead = gettext_lazy("Only records you can read can be put on the agenda.")
    submit = gettext_lazy("Add the record")
    success_message = gettext_lazy("The record is on the agenda.")
    form_class = LinkForm

    def perform(self, form):
        item = AgendaItem.objects.filter(consultation=self.object, pk=self.kwargs["agenda_item"]).first()
        if item is None:
            raise Http404
        services.link_record(item, self.request.user, form.cleaned_data["reference"])
        return self.object


class MinutesView(_ConsultationFormView):
    title = gettext_lazy("Write the minutes")
    lead = gettext_lazy("Changing the minutes clears the agreements both sides gave; the other side is told.")
    submit = gettext_lazy("Save the minutes")
    success_message = gettext_lazy("The minutes are saved; the other side is asked to agree them.")
    form_class = MinutesForm

    def get_initial(self):
        return {"text": self.object.minutes}

    def perform(self, form):
        return services.write_minutes(self.object, self.request.user, text=form.cleaned_data["text"])


class AgreeView(ServiceActionView):
    model = Consultation
    success_message = gettext_lazy("Your side's agreement to the minutes is recorded.")

    def perform(self, obj):
        services.agree_minutes(obj, self.request.user)
        return obj


class ActionItemView(_ConsultationFormView):
    title = gettext_lazy("Add an action item")
    submit = gettext_lazy("Add")
    success_message = gettext_lazy("The action item is added; the owning side is told.")

    def get_form(self, form_class=None):
        return ActionItemForm(**self.get_form_kwargs(), consultation=self.object)

    def perform(self, form):
        services.add_action_item(self.object, self.request.user, **form.cleaned_data)
        return self.object


class CloseActionItemView(_ConsultationFormView):
    title = gettext_lazy("Close the action item")
    submit = gettext_lazy("Save")
    success_message = gettext_lazy("The action item is closed.")
    form_class = CloseActionItemForm

    def perform(self, form):
        item = ActionItem.objects.filter(consultation=self.object, pk=self.kwargs["action_item"]).first()
        if item is None:
            raise Http404
        services.close_action_item(item, self.request.user, status=form.cleaned_data["status"])
        return self.object


class PackRequestView(_ConsultationFormView):
    """A writer of either side asks for a pack: it holds what they may read."""

    title = gettext_lazy("Prepare a briefing pack")
    submit = gettext_lazy("Prepare the pack")
    form_class = PackForm

    check = staticmethod(policies.check_pack)

    def get_initial(self):
        return {"language": get_language()}

    def perform(self, form):
        return services.request_pack(self.object, self.request.user, language=form.cleaned_data["language"])


class _PackMixin:
    def get_pack(self) -> BriefingPack:
        consultation = get_restricted_or_404(Consultation, self.request.user, self.kwargs["pk"])
        pack = packs_of(consultation, self.request.user).filter(pk=self.kwargs["pack"]).first()
        if pack is None:
            audit.log(
                "authz.denied", actor=self.request.user, model=BriefingPack, object_id=self.kwargs["pack"]
            )
            raise Http404
        return pack


class PackStatusView(_PackMixin, DetailView):
    """How far the pack is; the page reloads itself every two seconds until it is done."""

    template_name = "notices/consultations/pack_status.html"
    context_object_name = "pack"

    def get_object(self, queryset=None):
        return self.get_pack()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class PackDownloadView(_PackMixin, DetailView):
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        pack = self.get_pack()
        if pack.status != BriefingPackStatus.DONE or not pack.file:
            raise Http404
        audit.log(
            "consultation.pack_downloaded",
            actor=request.user,
            obj=pack.consultation,
            after={"pack": pack.pk, "sha256": pack.sha256},
        )
        name = f"{pack.consultation.reference}-briefing-{pack.language}.pdf"
        return FileResponse(
            pack.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
        )
