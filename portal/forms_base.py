"""Base classes for the portal's forms: what every text input must satisfy, added once
here rather than field by field (a field added later cannot forget it)."""

from __future__ import annotations

from django import forms

from portal.validators import no_control_characters


class PortalFormMixin:
    """Refuses control characters in every text field (``CharField`` and its subclasses:
    e-mail, URL, slug...). Also run again before validation, so that the fields a
    subclass adds in its own ``__init__`` after this one (one per criterion) are covered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_text_validators()

    def full_clean(self):
        self.add_text_validators()
        super().full_clean()

    def add_text_validators(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and no_control_characters not in field.validators:
                # The field is the form's own deep copy: the class's field is untouched.
                field.validators.append(no_control_characters)


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass
