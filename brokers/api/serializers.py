"""What the brokers API reads and takes. Every body goes to a service
(``brokers.services``); the serializers only shape it, check it in the caller's scope
(``PortalModelSerializer``: related ids the caller may not read are refused like missing
ones) and leave out what the caller may not read (``portal.disclosure``), identifiers
masked for everyone but the contact points (``brokers.policies.identifiers_visible``)."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Investigation, SendingAgency
from portal.api.base import PortalModelSerializer, PortalSerializer
from portal.disclosure import hidden_fields, prefetch_consents
from portal.i18n import pick, request_language
from portal.records.api import SharedRecordFieldsMixin
from portal.validators import no_control_characters

from .. import policies
from ..choices import Category, Outcome
from ..models import Broker, MisconductReport, mask
from ..services import REPORT_FIELDS

#: One answer for a broker id that does not exist and one the caller may not read.
NOT_A_BROKER = _("One of the brokers named does not exist or cannot be read.")
NO_BROKER = _("Name at least one broker: find it, or record it first.")


def _script(name: str) -> str:
    """The language a name's script is read by: kana or kanji → ja, Cyrillic with a
    Tajik letter → tg, other Cyrillic → ru, Latin → en."""
    cyrillic = False
    for char in name:
        if not char.isalpha():
            continue
        label = unicodedata.name(char, "")
        if label.startswith(("KATAKANA", "HIRAGANA", "CJK")):
            return "ja"
        if label.startswith("CYRILLIC"):
            if char.lower() in "ҷғқҳӣӯ":
                return "tg"
            cyrillic = True
    return "ru" if cyrillic else "en"


def display_name(broker: Broker, language: str) -> str:
    """The broker's name in the script its reader reads best (``portal.i18n``'s rule),
    chosen among its name and aliases: a Japanese reader sees the katakana alias, a
    Tajik reader the Tajik one; the recorded name when none is in a better script."""
    renderings: dict[str, str] = {}
    for name in [broker.name, *(row.name for row in broker.names.all())]:
        renderings.setdefault(_script(name), name)
    # A Tajik name written without Tajik letters reads as Russian; both read Cyrillic.
    if "ru" in renderings:
        renderings.setdefault("tg", renderings["ru"])
    return pick(renderings, language) or broker.name


class BrokerRefSerializer(serializers.Serializer):
    """A broker a report names, as its reader may read it."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField()


# --- Brokers ------------------------------------------------------------------------------


class BrokerSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A broker as one side knows it. ``aliases`` (write) adds names in any script at
    creation; ``names`` (read) lists every name and alias it is known by. Identifiers
    are whole for the contact points and masked for everyone else."""

    withheld_with = {**SharedRecordFieldsMixin.withheld_with, "display_name": "name"}

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    display_name = serializers.SerializerMethodField(
        help_text="The name or alias in the script the reader reads best (?lang=ja|en|ru|tg, else "
        "Accept-Language)."
    )
    names = serializers.SerializerMethodField(help_text="Every name and alias the broker is known by.")
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200, validators=[no_control_characters]),
        write_only=True,
        required=False,
        help_text="Other names of the broker, in any script (Cyrillic, Latin, katakana…).",
    )
    agencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=SendingAgency.objects.all(), required=False
    )
    investigations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Investigation.objects.all(), required=False
    )

    class Meta:
        model = Broker
        fields = [
            "id",
            "origin",
            "status",
            "kind",
            "name",
            "display_name",
            "names",
            "aliases",
            "country",
            "corporate_number",
            "taxpayer_number",
            "passport_number",
            "addresses",
            "notes",
            "agencies",
            "investigations",
            "merged_into",
            "merged_at",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = ["status", "merged_into", "merged_at", "created_at", "shared_at", "due_on"]

    @extend_schema_field(serializers.CharField())
    def get_display_name(self, broker) -> str:
        return display_name(broker, request_language(self.context.get("request")))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_names(self, broker) -> list[str]:
        return [row.name for row in broker.names.all()]

    def validate_country(self, value: str) -> str:
        value = value.strip().upper()
        if len(value) != 2 or not value.isascii() or not value.isalpha():
            raise serializers.ValidationError(
                _("Give the country as its two-letter ISO code, e.g. JP or TJ.")
            )
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not policies.identifiers_visible(request.user):
            for name in Broker.identifier_fields:
                if data.get(name):
                    data[name] = mask(data[name])
        return data


class BrokerNamesSerializer(PortalSerializer):
    names = serializers.ListField(
        child=serializers.CharField(max_length=200, validators=[no_control_characters]),
        allow_empty=False,
        help_text="Names or aliases to add, in any script.",
    )


class MergeSerializer(PortalSerializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=Broker.objects.all(),
        error_messages={
            "does_not_exist": _("The broker to merge into does not exist or cannot be read."),
            "incorrect_type": _("The broker to merge into does not exist or cannot be read."),
        },
        help_text="The id of the record this one is merged into: it keeps both records' names and reports.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MatchSerializer(serializers.Serializer):
    broker = serializers.IntegerField(source="broker.pk", help_text="The broker's id.")
    reference = serializers.CharField(source="broker.reference")
    name = serializers.CharField(source="broker.name")
    score = serializers.FloatField(help_text="Trigram similarity of the Latin keys, 0 to 1.")
    matched_name = serializers.CharField(source="name", help_text="The name or alias that matched.")


# --- Misconduct reports ---------------------------------------------------------------------


class CategoriesField(serializers.ListField):
    """The categories as a list of letters (``["a", "e"]``), stored as ``"ae"``."""

    child = serializers.ChoiceField(choices=Category.choices)

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty", False)
        kwargs.setdefault("error_messages", {"empty": _("Choose at least one category, (a) to (e).")})
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return "".join(sorted(set(super().to_internal_value(data))))

    def to_representation(self, value):
        return list(value or "")


def attach_brokers_named(reports, user) -> None:
    """Each report's ``brokers_named`` for ``user``, for a page of reports at once: one
    query for the brokers the user may read, one for a third party's consents on them."""
    reports = list(reports)
    brokers = {broker.pk: broker for report in reports for broker in report.brokers.all()}
    readable = set()
    if user is not None and brokers:
        readable = set(
            Broker.objects.restrict(user).filter(pk__in=list(brokers)).values_list("pk", flat=True)
        )
        prefetch_consents([brokers[pk] for pk in sorted(readable)], user)
    shown = {pk for pk in readable if "name" not in hidden_fields(user, brokers[pk])}
    for report in reports:
        report._brokers_named = [
            {"id": broker.pk, "reference": broker.reference or "", "name": broker.name}
            for broker in report.brokers.all()
            if broker.pk in shown
        ]


class MisconductReportSerializer(SharedRecordFieldsMixin, PortalModelSerializer):
    """A misconduct report (4(1)): the brokers it names, its categories (a)–(e) with the
    facts each needs (refused without them, naming the field), and what happened.
    The receiving side's part (stage, outcome) is set by its actions."""

    withheld_with = {**SharedRecordFieldsMixin.withheld_with, "brokers_named": "brokers"}

    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    brokers = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Broker.objects.all(),
        allow_empty=False,
        error_messages={"empty": NO_BROKER},
        help_text="The ids of the brokers the report names (find them with /brokers/match/).",
    )
    brokers_named = serializers.SerializerMethodField()
    categories = CategoriesField(help_text='The categories of misconduct, e.g. ["a", "e"].')
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        read_only=True,
        allow_blank=True,
        help_text="Empty until the report is closed.",
    )
    agencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=SendingAgency.objects.all(), required=False
    )
    investigations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Investigation.objects.all(), required=False
    )

    class Meta:
        model = MisconductReport
        fields = [
            "id",
            "origin",
            "status",
            "brokers",
            "brokers_named",
            *REPORT_FIELDS,
            "agencies",
            "investigations",
            "stage",
            "outcome",
            "outcome_note",
            "closed_at",
            "created_at",
            "shared_at",
            *SharedRecordFieldsMixin.KIT_FIELDS,
        ]
        read_only_fields = [
            "status",
            "stage",
            "outcome",
            "outcome_note",
            "closed_at",
            "created_at",
            "shared_at",
            "due_on",
        ]

    def get_fields(self):
        fields = super().get_fields()
        # An unknown id and a hidden one: the same answer, not DRF's "Invalid pk".
        relation = fields["brokers"].child_relation
        relation.error_messages = {
            **relation.error_messages,
            "does_not_exist": NOT_A_BROKER,
            "incorrect_type": NOT_A_BROKER,
        }
        return fields

    @extend_schema_field(BrokerRefSerializer(many=True))
    def get_brokers_named(self, report) -> list[dict]:
        """The brokers named whose names the caller may read (a third party reading the
        report with consent does not read the brokers' own records)."""
        if not hasattr(report, "_brokers_named"):
            request = self.context.get("request")
            attach_brokers_named([report], getattr(request, "user", None))
        return report._brokers_named

    def validate(self, attrs):
        """Each category's facts, named by field (the model's rules, ``clean``), on the
        report as it would be: the draft's values under the changes given."""
        facts = {
            name: value
            for name, value in attrs.items()
            if name not in {"brokers", "agencies", "investigations"}
        }
        probe = MisconductReport()
        if self.instance is not None:
            for field in MisconductReport._meta.concrete_fields:
                setattr(probe, field.attname, getattr(self.instance, field.attname))
        for name, value in facts.items():
            setattr(probe, name, value)
        if not probe.narrative:
            probe.narrative = "-"  # required by the field itself, said by its own error
        try:
            probe.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class CloseSerializer(PortalSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(help_text="What was done about the report.")


class LinkSerializer(PortalSerializer):
    agencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=SendingAgency.objects.all(), required=False, default=list
    )
    investigations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Investigation.objects.all(), required=False, default=list
    )

    def validate(self, attrs):
        if not attrs.get("agencies") and not attrs.get("investigations"):
            raise serializers.ValidationError(_("Name a sending agency or an investigation to link."))
        return attrs
