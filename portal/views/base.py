"""Base views that apply ``restrict(user, action)`` so no view can forget it
(STYLE.md §6). A lookup outside the user's scope is a 404, and is audited as a refused
access; reads of confidential records are audited for every reader, superusers too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, View

from .. import audit
from ..disclosure import disclose, disclose_all
from ..exceptions import ServiceError
from ..models import SharedRecord


def audit_denied(user, model, pk) -> None:
    """Record a refused lookup: the type and the id asked for, nothing read from the
    object, and the same entry whether the object is hidden or does not exist — the
    trail must not tell its reader which ids exist (clause 3)."""
    if pk is not None:
        audit.log("authz.denied", actor=user, model=model, object_id=pk)


class RestrictedMixin(LoginRequiredMixin):
    model = None
    action = "view"

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, self.action)


class RestrictedListView(RestrictedMixin, ListView):
    """A page of the rows the user may see, each as the user may read it
    (``portal.disclosure``: a third party's row shows only the consented parts)."""

    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = disclose_all(context["object_list"], self.request.user)
        context["object_list"] = rows
        name = self.get_context_object_name(self.object_list)
        if name:
            context[name] = rows
        return context


class RestrictedDetailView(RestrictedMixin, DetailView):
    """One object the user may see, rendered as the user may read it: templates get the
    disclosed view of it (``portal.disclosure``), never the model instance."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = disclose(self.object, self.request.user)
        context["object"] = shown
        name = self.get_context_object_name(self.object)
        if name:
            context[name] = shown
        return context

    def get_object(self, queryset=None):
        try:
            obj = super().get_object(queryset)
        except Http404:
            audit_denied(self.request.user, self.model, self.kwargs.get(self.pk_url_kwarg))
            raise
        if isinstance(obj, SharedRecord):
            audit.log("record.read", actor=self.request.user, obj=obj)
        return obj


def get_restricted_or_404(model, user, pk, action: str = "view"):
    """The object if ``user`` holds ``action`` on it; else a 404 (and an audit entry)."""
    obj = model.objects.restrict(user, action).filter(pk=pk).first()
    if obj is None:
        audit_denied(user, model, pk)
        raise Http404
    return obj


class ServiceActionView(LoginRequiredMixin, View):
    """A POST-only view that runs one service on one restricted object and redirects.
    Service refusals become messages, never tracebacks."""

    model = None
    action = "view"
    http_method_names = ["post"]
    success_message = ""

    def perform(self, obj):
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get_object(self, pk, **kwargs):
        return get_restricted_or_404(self.model, self.request.user, pk, self.action)

    def post(self, request, pk, **kwargs):
        obj = self.get_object(pk, **kwargs)
        try:
            result = self.perform(obj)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(self.get_success_url(obj))
        if self.success_message:
            messages.success(request, self.success_message)
        return redirect(self.get_success_url(result or obj))


class ServiceFormView(LoginRequiredMixin, FormView):
    """A form that runs one service, on one object the user may ``action`` (``model``
    set) or on nothing yet (a new record). The service decides; a refusal
    (``ServiceError``) is shown above the form with its reason, the data kept — this is
    the one place views turn refusals into messages.

    A subclass sets ``form_class`` (or ``get_form``), ``perform(form)`` and the texts;
    ``allowed(user)`` may turn the page into a 404 for whoever cannot use it at all."""

    model = None
    action = "change"
    template_name = "portal/service_form.html"
    title = ""
    lead = ""
    submit = gettext_lazy("Save")
    success_message = ""
    object = None
    pk_url_kwarg = "pk"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.model is not None:
            self.object = get_restricted_or_404(
                self.model, request.user, kwargs[self.pk_url_kwarg], self.action
            )
        if not self.allowed(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user) -> bool:
        return True

    def get_context_data(self, **kwargs):
        shown = disclose(self.object, self.request.user) if self.object is not None else None
        return super().get_context_data(
            object=shown, title=self.title, lead=self.lead, submit=self.submit, **kwargs
        )

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url(result))

    def get_success_url(self, result=None) -> str:
        target = result if hasattr(result, "get_absolute_url") else self.object
        return target.get_absolute_url()
