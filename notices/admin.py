"""Admin of the notices app: each part's own (``orders.admin``, ``register.admin``, …)
and the memorandum's terms."""

from django.contrib import admin

from .consultations import admin as _consultations  # noqa: F401
from .inquiries import admin as _inquiries  # noqa: F401
from .models import NoticeTerms
from .orders import admin as _orders  # noqa: F401
from .register import admin as _register  # noqa: F401
from .returns import admin as _returns  # noqa: F401
from .suspensions import admin as _suspensions  # noqa: F401


@admin.register(NoticeTerms)
class NoticeTermsAdmin(admin.ModelAdmin):
    list_display = [
        "memorandum",
        "inquiry_answer_days",
        "action_item_days",
        "return_erasure_days",
        "statistics_minimum",
    ]
