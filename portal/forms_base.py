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


# ---------- Rendering helpers: the error summary and its links ----------


def field_anchor(field) -> str:
    """The id an error summary links to: the input itself, or for a group of radios or
    check boxes (rendered in a fieldset) its first input, which Django numbers ``_0``."""
    if not field.auto_id:
        return ""
    if field.use_fieldset and len(getattr(field.field, "choices", ()) or ()) > 0:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def error_links(form) -> list[tuple[str, str]]:
    """Every error of a bound form, for the summary at the top of the form, in the order
    of the fields: ``(anchor, text)``. Errors of the form itself and of hidden fields come
    first and have no anchor (there is no field to go to); a visible field's error names
    its label, so that the list reads on its own (``Reason: This field is required.``)."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    links = [("", str(error)) for error in form.non_field_errors()]
    for field in form.hidden_fields():
        links += [("", f"{field.label}: {error}") for error in field.errors]
    for field in form.visible_fields():
        anchor = field_anchor(field)
        links += [(anchor, f"{field.label}: {error}") for error in field.errors]
    return links


def widget_html(field) -> str:
    """A field's input as Django renders it (``required``, ``aria-invalid``,
    ``aria-describedby`` pointing to its help and error), plus ``aria-required`` where
    Django leaves ``required`` out because HTML forbids it (a select whose first option is
    a real choice). A group of radios or check boxes is marked on its legend instead."""
    attrs = {}
    marked_by_django = field.build_widget_attrs({}).get("required")
    if field.field.required and not (field.use_fieldset or field.is_hidden or marked_by_django):
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
