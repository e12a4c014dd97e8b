"""Officer pages of brokers and their misconduct reports (clauses 1, 3 and 4(1)).

Every read goes through the restricted base views (out of scope is a 404, audited);
templates render the disclosed object (``portal.disclosure``), never the model
instance; every change is a service, asked through ``ServiceFormView`` /
``ServiceActionView``, and the buttons shown are the ones the policies allow."""

from __future__ import annotations

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agencies.models import Investigation, SendingAgency
from portal.choices import Role
from portal.disclosure import disclose_all
from portal.filters import FilteredListMixin
from portal.models import AuditEntry
from portal.records import policies as kit_policies
from portal.records import services as kit
from portal.records.models import Attachment
from portal.records.views import SharedRecordPanelsMixin
from portal.views.base import RestrictedDetailView, RestrictedListView, ServiceActionView, ServiceFormView

from . import policies, services
from .choices import CATEGORY_FACTS, Category
from .filters import ReportFilterSet
from .forms import (
    BrokerForm,
    BrokerSearchForm,
    CloseForm,
    LinkForm,
    MergeForm,
    NamesForm,
    ReportForm,
    readable_brokers,
)
from .models import Broker, MisconductReport, mask

#: How many readers the "Who read this" panel lists, newest first.
READERS_SHOWN = 200


def category_labels(letters) -> list[str]:
    """The labels of the categories ``letters`` names ("" when withheld: none)."""
    labels = dict(Category.choices)
    return [str(labels[letter]) for letter in (letters or "") if letter in labels]


def report_rows(queryset):
    """A page's reports with what a row shows, in a constant number of queries."""
    return queryset.select_related("origin__side").prefetch_related(
        Prefetch("brokers", queryset=Broker.objects.only("id", "name").order_by("name", "id"))
    )


# --- Misconduct reports ------------------------------------------------------------------


class ReportListView(FilteredListMixin, RestrictedListView):
    model = MisconductReport
    template_name = "brokers/report_list.html"
    context_object_name = "reports"
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return report_rows(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Each disclosed row with its categories read through the disclosure: a part
        # withheld from the reader reads as none.
        context["rows"] = [(report, category_labels(report.categories)) for report in context["reports"]]
        context["can_file"] = kit_policies.can(policies.check_file_report, user, None)
        query = context["filter_query"]
        context["export_query"] = f"?{query}" if query else ""
        return context


def report_facts(shown) -> list[tuple[str, list[tuple[str, object]]]]:
    """``[(category label, [(fact label, value), …]), …]`` of the categories the
    reader may read (the disclosed view: a withheld part gives nothing)."""
    labels = dict(Category.choices)
    sections = []
    for letter in shown.categories or "":
        if letter not in CATEGORY_FACTS:
            continue
        facts = []
        for name in CATEGORY_FACTS[letter]:
            field = MisconductReport._meta.get_field(name)
            value = getattr(shown, name)
            if field.choices:
                value = getattr(shown, f"get_{name}_display")()
            facts.append((str(field.verbose_name), value))
        sections.append((str(labels[letter]), facts))
    return sections


def sees_readers(user) -> bool:
    """The contact points of both sides see who read a record (clause 3)."""
    organization = getattr(user, "organization", None)
    return bool(
        user.role == Role.CONTACT_POINT_OFFICER
        and organization is not None
        and not organization.is_third_party
    )


def readers_of(record, user) -> list[AuditEntry]:
    """Reads, file downloads and exports of ``record`` by the contact point's own side and
    by third parties (who read only under a written consent): the audit entries about it,
    newest first."""
    record_type = ContentType.objects.get_for_model(record)
    attachment_ids = [str(pk) for pk in record.attachments.values_list("pk", flat=True)]
    about = Q(
        content_type=record_type, object_id=str(record.pk), action__in=["record.read", "report.exported"]
    )
    if attachment_ids:
        about |= Q(
            content_type=ContentType.objects.get_for_model(Attachment),
            object_id__in=attachment_ids,
            action="file.downloaded",
        )
    side_id = user.organization.side_id
    return list(
        AuditEntry.objects.filter(about)
        .filter(
            Q(organization__side_id=side_id) | Q(organization__side__isnull=True, organization__isnull=False)
        )
        .select_related("actor", "organization")
        .order_by("-id")[:READERS_SHOWN]
    )


class ReportDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = MisconductReport
    template_name = "brokers/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        shown = context["report"]
        named = list(shown.brokers.all())
        readable = set(
            Broker.objects.restrict(user)
            .filter(pk__in=[broker.pk for broker in named])
            .values_list("pk", flat=True)
        )
        agency_ids = [agency.pk for agency in shown.agencies.all()]
        investigation_ids = [item.pk for item in shown.investigations.all()]
        acknowledged = bool(shown.acknowledged_at)
        context.update(
            categories=category_labels(shown.categories),
            facts=report_facts(shown),
            brokers=[(broker, broker.pk in readable) for broker in named],
            # Only what the reader may read of the register and the investigations.
            agencies=SendingAgency.objects.restrict(user).filter(pk__in=agency_ids),
            investigations=Investigation.objects.restrict(user).filter(pk__in=investigation_ids),
            time_to_share=shown.time_to_share if shown.shared_at else None,
            time_to_acknowledge=shown.time_to_acknowledge if acknowledged else None,
            can_edit=kit_policies.can(policies.check_edit, user, report),
            can_share=kit_policies.can(policies.check_share, user, report),
            can_withdraw=kit_policies.can(kit_policies.check_withdraw, user, report),
            can_link=kit_policies.can(policies.check_link, user, report),
            can_close=kit_policies.can(policies.check_close, user, report),
            readers=readers_of(report, user) if sees_readers(user) else None,
        )
        return context


class ReportCreateView(ServiceFormView):
    template_name = "brokers/report_form.html"
    title = gettext_lazy("New broker misconduct report")
    lead = gettext_lazy(
        "A draft of your organization until you share it. Each category you choose needs its facts."
    )
    submit = gettext_lazy("Save the draft")
    success_message = gettext_lazy("The report is saved as a draft. Share it when it is complete.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_file_report, user, None)

    def get_initial(self):
        initial = super().get_initial()
        broker = self.request.GET.get("broker", "")
        if broker.isdigit():
            # The broker page's "report misconduct by this broker": its reference, if readable.
            initial["brokers"] = list(
                readable_brokers(self.request.user).filter(pk=int(broker)).values_list("reference", flat=True)
            )
        return initial

    def get_form(self, form_class=None):
        return ReportForm(**self.get_form_kwargs(), user=self.request.user)

    def perform(self, form):
        data = form.cleaned_data
        return services.file_report(
            self.request.user, brokers=list(data["brokers"]), files=data.get("evidence") or [], **form.facts()
        )


class ReportEditView(ServiceFormView):
    model = MisconductReport
    action = "change"
    template_name = "brokers/report_form.html"
    title = gettext_lazy("Change the draft report")
    submit = gettext_lazy("Save the draft")
    success_message = gettext_lazy("The draft is saved.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_edit, user, self.object)

    def get_form(self, form_class=None):
        return ReportForm(**self.get_form_kwargs(), user=self.request.user, instance=self.object)

    def perform(self, form):
        report = MisconductReport.objects.get(pk=self.object.pk)  # the form changed its copy
        return services.update_report(
            report, self.request.user, brokers=list(form.cleaned_data["brokers"]), **form.facts()
        )


class ReportShareView(ServiceActionView):
    model = MisconductReport
    success_message = gettext_lazy("Shared. The other side's contact point has it in its inbox.")

    def perform(self, obj):
        return services.share_report(obj, self.request.user)


class ReportWithdrawView(ServiceActionView):
    model = MisconductReport
    success_message = gettext_lazy("The draft is withdrawn.")

    def perform(self, obj):
        return kit.withdraw_draft(obj, self.request.user)


class ReportLinkView(ServiceFormView):
    model = MisconductReport
    action = "view"
    title = gettext_lazy("Link the report to sending agencies or investigations")
    submit = gettext_lazy("Link")
    success_message = gettext_lazy("The links are added.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_link, user, self.object)

    def get_form(self, form_class=None):
        return LinkForm(**self.get_form_kwargs(), user=self.request.user)

    def perform(self, form):
        return services.link_report(
            self.object,
            self.request.user,
            agencies=list(form.cleaned_data["agencies"]),
            investigations=list(form.cleaned_data["investigations"]),
        )


class ReportCloseView(ServiceFormView):
    model = MisconductReport
    action = "view"
    form_class = CloseForm
    title = gettext_lazy("Close the report with its outcome")
    lead = gettext_lazy("The reporting side is told that the report is closed.")
    submit = gettext_lazy("Close the report")
    success_message = gettext_lazy("The report is closed; the reporting side is told.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_close, user, self.object)

    def perform(self, form):
        return services.close_report(
            self.object,
            self.request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )


# --- Brokers -------------------------------------------------------------------------------


class BrokerListView(RestrictedListView):
    """Every broker the user may read, and, for ``?q=``, the likely ones whatever the
    script or spelling (``services.match``), each with its score and matched name."""

    model = Broker
    template_name = "brokers/broker_list.html"
    context_object_name = "brokers"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "merged_into")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = BrokerSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        context.update(
            form=form,
            query=query,
            matches=services.match(user, query) if query else None,
            can_record=kit_policies.can(policies.check_record_broker, user, None),
        )
        return context


def identifiers(shown, user) -> list[tuple[str, str]]:
    """The broker's identifiers as ``user`` may read them: whole for the contact points,
    masked for everyone else (``policies.identifiers_visible``)."""
    whole = policies.identifiers_visible(user)
    rows = []
    for name in Broker.identifier_fields:
        value = getattr(shown, name) or ""
        if value:
            rows.append((str(Broker._meta.get_field(name).verbose_name), value if whole else mask(value)))
    return rows


def categories_by_month(reports) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """``(category letters, [(month, [count per letter]), …])`` over the disclosed
    ``reports`` by the month they were created, on the reader's clock, newest first."""
    letters = list(Category.values)
    counts: dict[str, Counter] = {}
    for report in reports:
        month = timezone.localtime(report.created_at).strftime("%Y-%m")
        counts.setdefault(month, Counter()).update(set(report.categories or ""))
    return letters, [
        (month, [counts[month][letter] for letter in letters]) for month in sorted(counts, reverse=True)
    ]


class BrokerDetailView(SharedRecordPanelsMixin, RestrictedDetailView):
    model = Broker
    template_name = "brokers/broker_detail.html"
    context_object_name = "broker"

    def get_queryset(self):
        return super().get_queryset().select_related("origin__side", "merged_into")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        broker, user = self.object, self.request.user
        shown = context["broker"]
        readable = Broker.objects.restrict(user)
        reports = disclose_all(report_rows(services.reports_naming(user, broker)), user)
        letters, months = categories_by_month(reports)
        merged_into = None
        if broker.merged_into_id:
            merged_into = readable.filter(pk=broker.merged_into_id).first()
        agency_ids = [agency.pk for agency in shown.agencies.all()]
        investigation_ids = [item.pk for item in shown.investigations.all()]
        context.update(
            names=list(shown.names.all()),
            identifiers=identifiers(shown, user),
            identifiers_whole=policies.identifiers_visible(user),
            agencies=SendingAgency.objects.restrict(user).filter(pk__in=agency_ids),
            investigations=Investigation.objects.restrict(user).filter(pk__in=investigation_ids),
            merged=list(readable.filter(merged_into=broker).order_by("merged_at")),
            merged_into=merged_into,
            reports=[(report, category_labels(report.categories)) for report in reports],
            category_letters=[(letter, label) for letter, label in Category.choices if letter in letters],
            months=months,
            can_share=kit_policies.can(policies.check_share, user, broker),
            can_add_names=kit_policies.can(policies.check_add_name, user, broker),
            can_merge=broker.merged_into_id is None and kit_policies.can(policies.check_writer, user, None),
            can_report=kit_policies.can(policies.check_file_report, user, None)
            and broker.merged_into_id is None,
        )
        return context


class BrokerCreateView(ServiceFormView):
    """A new broker: the first post shows the brokers it may already be (any script);
    the officer saves it only by confirming that it is none of them."""

    template_name = "brokers/broker_form.html"
    title = gettext_lazy("Record a broker")
    lead = gettext_lazy(
        "Give every name the broker is known by, in any script: likely existing brokers are shown before "
        "anything is saved."
    )
    submit = gettext_lazy("Check and save")
    success_message = gettext_lazy("The broker is recorded as a draft of your organization.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_record_broker, user, None)

    def get_form(self, form_class=None):
        return BrokerForm(**self.get_form_kwargs(), user=self.request.user)

    def candidates(self, form) -> list[services.Match]:
        best: dict[int, services.Match] = {}
        for name in form.names():
            for found in services.match(self.request.user, name):
                if found.broker.pk not in best or found.score > best[found.broker.pk].score:
                    best[found.broker.pk] = found
        return sorted(best.values(), key=lambda found: -found.score)

    def form_valid(self, form):
        if not form.cleaned_data.get("confirm_new"):
            candidates = self.candidates(form)
            if candidates:
                return render(
                    self.request,
                    self.template_name,
                    self.get_context_data(form=form, candidates=candidates),
                )
        return super().form_valid(form)

    def perform(self, form):
        data = form.cleaned_data
        return services.record_broker(
            self.request.user,
            name=data["name"],
            aliases=form.alias_list(),
            agencies=list(data["agencies"]),
            investigations=list(data["investigations"]),
            **form.fields_for_service(),
        )


class BrokerNamesView(ServiceFormView):
    model = Broker
    action = "view"
    form_class = NamesForm
    title = gettext_lazy("Add names or aliases")
    submit = gettext_lazy("Add")
    success_message = gettext_lazy("The names are added.")

    def allowed(self, user) -> bool:
        return kit_policies.can(policies.check_add_name, user, self.object)

    def perform(self, form):
        services.add_names(self.object, self.request.user, form.name_list())
        return self.object


class BrokerShareView(ServiceActionView):
    model = Broker
    success_message = gettext_lazy("The broker record is shared with the other side.")

    def perform(self, obj):
        return services.share_broker(obj, self.request.user)


class BrokerMergeView(ServiceFormView):
    """Two records of one broker become one, both histories kept: the target is chosen
    among the brokers the officer may read, the likeliest (by name) shown first."""

    model = Broker
    action = "view"
    template_name = "brokers/broker_merge.html"
    title = gettext_lazy("Merge two records of one broker")
    submit = gettext_lazy("Merge")
    success_message = gettext_lazy("The records are merged; both histories are kept.")

    def allowed(self, user) -> bool:
        return self.object.merged_into_id is None and kit_policies.can(policies.check_writer, user, None)

    def get_form(self, form_class=None):
        return MergeForm(**self.get_form_kwargs(), user=self.request.user, broker=self.object)

    def get_context_data(self, **kwargs):
        matches = services.match(self.request.user, self.object.name, exclude=self.object.pk)
        return super().get_context_data(matches=matches, **kwargs)

    def perform(self, form):
        return services.merge_brokers(
            self.object, form.cleaned_data["target"], self.request.user, reason=form.cleaned_data["reason"]
        )
