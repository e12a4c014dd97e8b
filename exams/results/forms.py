"""The upload of a file of pass results."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.exceptions import InvalidInput
from portal.forms_base import PortalForm

from .services import MAX_FILE_MB, check_file


def validate_results_file(file) -> None:
    """``services.check_file`` as a field validator, so that the form shows it by the field."""
    try:
        check_file(file)
    except InvalidInput as exc:
        raise ValidationError(exc.message) from exc


def format_help() -> str:
    # The columns are described below the form ("The file's format"), as code.
    return _(
        "A CSV file as described below, at most %(limit)s MB. Lines with an error are listed with "
        "their line number and left out; the others are imported. Importing the same file again "
        "changes nothing."
    ) % {"limit": MAX_FILE_MB}


class UploadForm(PortalForm):
    file = forms.FileField(
        label=_("File of pass results (CSV)"),
        validators=[validate_results_file],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_help()
