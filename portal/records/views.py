"""The panels of a shared record's page — reference and timings, acknowledgement,
assignment, attachments, timeline, written consent — and the forms behind them.

A record kind's detail view adds ``SharedRecordPanelsMixin``; its template includes
``records/panels.html``. Every form posts to ``records/<app>/<model>/<pk>/<action>/``,
whose view reads the record through ``restrict()`` (404 otherwise) and runs the kit's
service, which asks the same policy the panel asked to show the form."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.disclosure import visible_attachments, visible_comments, visible_events
from portal.forms import ConsentForm
from portal.models import DisclosureConsent
from portal.views.base import ServiceActionView, ServiceFormView

from . import policies, services
from .forms import AssignForm, AttachmentForm, CommentForm, ConsentDecisionForm, ConsentRequestForm
from .models import ConsentRequest, SharedRecord


def record_url(record, action: str) -> str:
    from django.urls import reverse

    meta = record._meta
    return reverse("record-action", args=[meta.app_label, meta.model_name, record.pk, action])


def panels(record, user) -> dict:
    """What the panels show ``user`` of ``record`` (the model instance, read through
    ``restrict()``; what the user may not read stays out: the timeline and the files
    are those of the sides the user may read, acknowledgement and assignment come from
    the disclosed view the page already has)."""
    record = getattr(record, "_obj", record)
    third_party = user.organization is not None and user.organization.is_third_party
    consents = DisclosureConsent.objects.restrict(user).filter(
        content_type__app_label=record._meta.app_label,
        content_type__model=record._meta.model_name,
        object_id=record.pk,
    )
    requests = ConsentRequest.objects.restrict(user).filter(
        content_type__app_label=record._meta.app_label,
        content_type__model=record._meta.model_name,
        object_id=record.pk,
    )
    request_rows = []
    for request in requests.select_related("third_party", "side", "requested_by__organization"):
        can_decide = policies.can(policies.check_decide_consent, user, request)
        can_cancel = policies.can(policies.check_cancel_consent_request, user, request)
        # A decision form a request, with ids of its own: with two pending requests, the
        # second one's labels must not point at the first one's radio buttons.
        form = ConsentDecisionForm(auto_id=f"id_request_{request.pk}_%s") if can_decide else None
        request_rows.append((request, can_decide, can_cancel, form))
    can_assign = policies.can(policies.check_assign, user, record)
    can_request = policies.can(policies.check_request_consent, user, record)
    can_attach = policies.can(policies.check_attach, user, record)
    can_comment = policies.can(policies.check_comment, user, record)
    return {
        "kit": {
            "record": record,
            "third_party": third_party,
            "timeline": visible_events(record, user),
            "attachments": visible_attachments(record, user),
            "can_acknowledge": policies.can(policies.check_acknowledge, user, record),
            "can_assign": can_assign,
            "assign_form": AssignForm(record=record) if can_assign else None,
            "can_attach": can_attach,
            "attach_form": AttachmentForm() if can_attach else None,
            "accepts_comments": type(record).accepts_comments,
            "comments": visible_comments(record, user) if type(record).accepts_comments else (),
            "can_comment": can_comment,
            "comment_form": CommentForm(auto_id="id_comment_%s") if can_comment else None,
            "consents": consents.select_related("third_party", "side", "granted_by"),
            "requests": request_rows,
            "can_request_consent": can_request,
            "request_form": ConsentRequestForm(record=record) if can_request else None,
            "can_consent": policies.can(policies.check_consent, user, record),
            "overdue": bool(record.due_on and record.is_open() and record.due_on < timezone.localdate()),
            "urls": {
                "acknowledge": record_url(record, "acknowledge"),
                "assign": record_url(record, "assign"),
                "attach": record_url(record, "attach"),
                "comment": record_url(record, "comment"),
                "request_consent": record_url(record, "request-consent"),
            },
        }
    }


class SharedRecordPanelsMixin:
    """For a shared record's detail view: the panels' context (``panels``)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(panels(self.object, self.request.user))
        return context


class RecordKindMixin:
    """Resolve ``<app_label>/<model_name>`` to a shared-record kind, or 404."""

    def dispatch(self, request, *args, **kwargs):
        try:
            model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
        except (LookupError, ValueError) as exc:
            raise Http404 from exc
        if not issubclass(model, SharedRecord):
            raise Http404
        self.model = model
        return super().dispatch(request, *args, **kwargs)


class AcknowledgeView(RecordKindMixin, ServiceActionView):
    success_message = _("Receipt acknowledged.")

    def perform(self, obj):
        return services.acknowledge(obj, self.request.user)


class AssignView(RecordKindMixin, ServiceFormView):
    action = "view"
    title = _("Assign to an officer")
    submit = _("Assign")
    success_message = _("Assigned. The officer is told in the inbox and by e-mail.")

    def get_form(self, form_class=None):
        return AssignForm(**self.get_form_kwargs(), record=self.object)

    def perform(self, form):
        return services.assign(self.object, self.request.user, assignee=form.cleaned_data["assignee"])


class AttachView(RecordKindMixin, ServiceFormView):
    action = "view"
    form_class = AttachmentForm
    title = _("Add a file")
    submit = _("Upload")
    success_message = _("The file is added to the record.")

    def perform(self, form):
        services.attach(
            self.object,
            self.request.user,
            form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
        return self.object


class CommentView(RecordKindMixin, ServiceFormView):
    action = "view"
    form_class = CommentForm
    title = _("Add a comment or information")
    submit = _("Add")
    success_message = _("The comment is added; the other side is told.")

    def perform(self, form):
        file = form.cleaned_data.get("file")
        services.comment(
            self.object, self.request.user, form.cleaned_data["text"], files=[file] if file else []
        )
        return self.object


class ConsentView(RecordKindMixin, ServiceFormView):
    """Record a written consent of one's side, given by a letter outside the portal, for
    one record of any kind; the page is not found for anyone the policy refuses."""

    form_class = ConsentForm
    template_name = "portal/consent_form.html"
    action = "view"
    success_message = _("The written consent is recorded; the third party can read this record.")

    def allowed(self, user) -> bool:
        return policies.can(policies.check_consent, user, self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = context["object"]  # the disclosed view, never the instance
        return context

    def perform(self, form):
        services.grant_consent(self.object, self.request.user, **form.cleaned_data)
        return self.object


class RequestConsentView(RecordKindMixin, ServiceFormView):
    action = "view"
    title = _("Ask for written consent to disclose")
    lead = _(
        "The contact point of the side asked decides. If it consents, the third party can read this "
        "record alone, and of it only that side's part, until the day you give."
    )
    submit = _("Send the request")
    success_message = _("The request is sent to the contact point of the side asked.")

    def get_form(self, form_class=None):
        return ConsentRequestForm(**self.get_form_kwargs(), record=self.object)

    def perform(self, form):
        services.request_consent(self.object, self.request.user, **form.cleaned_data)
        return self.object


class DecideConsentView(ServiceFormView):
    """The asked side's contact point grants or refuses a request."""

    model = ConsentRequest
    action = "view"
    form_class = ConsentDecisionForm
    title = _("Decide on the request for written consent")
    submit = _("Record the decision")

    def perform(self, form):
        grant_it = form.cleaned_data["decision"] == "grant"
        request = services.decide_consent(
            self.object, self.request.user, grant_it=grant_it, note=form.cleaned_data["note"]
        )
        messages.success(
            self.request,
            _("Consent granted; its letter is being prepared.") if grant_it else _("The request is refused."),
        )
        return request.record

    def get_success_url(self, result=None) -> str:
        return (result or self.object.record).get_absolute_url()


class CancelConsentRequestView(ServiceActionView):
    model = ConsentRequest
    success_message = _("The request is cancelled.")

    def perform(self, obj):
        services.cancel_consent_request(obj, self.request.user)
        return obj.record

    def get_success_url(self, obj) -> str:
        record = obj.record if isinstance(obj, ConsentRequest) else obj
        return record.get_absolute_url()


def record_action(request, app_label: str, model_name: str, pk: int, action: str):
    """``records/<app>/<model>/<pk>/<action>/``: one URL pattern for every kit action."""
    view = ACTIONS.get(action)
    if view is None:
        raise Http404
    return view(request, app_label=app_label, model_name=model_name, pk=pk)


ACTIONS = {
    "acknowledge": AcknowledgeView.as_view(),
    "assign": AssignView.as_view(),
    "attach": AttachView.as_view(),
    "comment": CommentView.as_view(),
    "request-consent": RequestConsentView.as_view(),
}
