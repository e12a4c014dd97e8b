from django.conf import settings
from django.urls import reverse

from . import hooks


def can_read_audit(user) -> bool:
    from .views.audit import can_read_audit as check

    return check(user)


def app_navigation(request, user) -> list[dict]:
    """The menu entries the apps registered (portal.hooks) that ``user`` sees, with
    their URL and whether the page shown is under them."""
    match = getattr(request, "resolver_match", None)
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "current": bool(item.current and item.current(match)),
        }
        for item in hooks.nav_items_for(user)
    ]


def portal(request):
    """What every page needs: the languages for the switcher, the unread count, how many
    things the home cards ask the user to act on, and the apps' menu entries."""
    unread = 0
    navigation = []
    third_party = False
    work = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        navigation = app_navigation(request, user)
        third_party = hooks.is_third_party_user(user)
        work = hooks.work_count(user)
        if user.organization_id:
            from .models import Notification

            unread = Notification.objects.restrict(user).unread().count()
    return {
        "portal_languages": settings.LANGUAGES,
        "portal_unread": unread,
        "portal_production": settings.PRODUCTION,
        "portal_can_read_audit": can_read_audit(user) if user is not None else False,
        "portal_nav": navigation,
        "portal_third_party": third_party,
        "portal_work": work,
        # "99+" past the cap: the count stops there (portal.hooks.work_count).
        "portal_work_label": f"{hooks.WORK_COUNT_CAP}+" if work > hooks.WORK_COUNT_CAP else str(work),
    }
