"""The forms of the inquiries' pages: ask, answer. The service decides the rest (a due
date in the past, who may answer)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms_base import PortalForm
from portal.uploads import validate_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AskForm(PortalForm):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 6}))
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DATE,
        help_text=_("Left empty, the memorandum's days to answer an inquiry apply."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, image, office document or plain text, checked by its content."),
    )

    def facts(self) -> dict:
        data = self.cleaned_data
        file = data.get("file")
        return {
            "subject": data["subject"],
            "question": data["question"],
            "due_on": data.get("due_on"),
            "files": [file] if file else [],
        }


class AnswerForm(PortalForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, image, office document or plain text, checked by its content."),
    )
