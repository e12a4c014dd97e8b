"""The register's forms: the workbook upload, and the organization list's filters."""

from __future__ import annotations

import re
import unicodedata

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.filters import PortalFilterSet
from portal.uploads import validate_upload

from ..models import SupportOrganization

#: Dashes a registration number is written with (full-width, katakana long sound, minus…).
_DASHES = re.compile("[\u2010-\u2015\u2212\u30fc\uff0d\uff70-]")


def normal_number(value: str) -> str:
    """``"１９登－０００１２３"`` → ``"19登-000123"``: how a number is typed or pasted."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    return _DASHES.sub("-", value).replace(" ", "")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook of the register"),
        help_text=_(
            "The list of registered support organizations as the Immigration Services Agency "
            "publishes it (xlsx, Japanese or English edition). Nothing is changed until you apply it."
        ),
        validators=[validate_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def language_choices():
    from django.utils.translation import get_language

    try:
        from notices.languages import language_choices as choices
    except ImportError:  # the languages module of the reader's part
        return []
    return list(choices((get_language() or "en")[:2]))


def prefecture_choices():
    from django.utils.translation import get_language

    try:
        from notices.prefectures import prefecture_choices as choices
    except ImportError:
        return []
    return list(choices((get_language() or "en")[:2]))


class OrganizationFilterSet(PortalFilterSet):
    """The officers' search of the register: number, name, prefecture, language of
    support, and whether an organization is still listed."""

    STATE_CHOICES = (("listed", _("Listed")), ("removed", _("Removed from the register")))

    number = django_filters.CharFilter(method="by_number", label=_("Registration number"), max_length=40)
    name = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name contains"), max_length=200
    )
    prefecture = django_filters.ChoiceFilter(
        field_name="prefecture", label=_("Prefecture"), choices=prefecture_choices
    )
    language = django_filters.ChoiceFilter(
        method="by_language", label=_("Language of support"), choices=language_choices
    )
    state = django_filters.ChoiceFilter(
        method="by_state", label=_("Listed or removed"), choices=STATE_CHOICES
    )

    class Meta:
        model = SupportOrganization
        fields = ["number", "name", "prefecture", "language", "state"]

    def by_number(self, queryset, name, value):
        return queryset.filter(registration_number=normal_number(value))

    def by_language(self, queryset, name, value):
        return queryset.offering(value)

    def by_state(self, queryset, name, value):
        return queryset.filter(removed_on__isnull=(value == "listed"))
