"""One restrict() for every model (STYLE.md §6): the same prelude everywhere, the model's
rule after it. These tests find every model with a restrict() themselves, so a model
added later is held to them without a line here."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from portal.querysets import ScopedQuerySet


def restricted_models():
    return [model for model in apps.get_models() if hasattr(model._default_manager.all(), "restrict")]


def test_every_restrict_is_the_one_prelude_with_a_rule():
    for model in restricted_models():
        queryset = type(model._default_manager.all())
        assert issubclass(queryset, ScopedQuerySet), f"{model._meta.label} restricts outside ScopedQuerySet"
        assert "rule" in {name for cls in queryset.__mro__[:-1] for name in vars(cls)}, model._meta.label


@pytest.mark.parametrize("model", restricted_models(), ids=lambda model: model._meta.label)
def test_nobody_signed_out_or_deactivated_reads_anything(cast, model):
    admin = cast["admin"]
    admin.is_active = False  # a deactivated superuser too: the prelude checks activity first
    for user in (AnonymousUser(), admin):
        for action in ("view", "change"):
            # none(), not a filter that happens to match no row today
            assert model._default_manager.all().restrict(user, action).query.is_empty()
