from django.conf import settings


def can_read_audit(user) -> bool:
    from .views.audit import can_read_audit as check

    return check(user)


def portal(request):
    """What every page needs: the languages for the switcher and the unread count."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.organization_id:
        from .models import Notification

        unread = Notification.objects.restrict(user).unread().count()
    return {
        "portal_languages": settings.LANGUAGES,
        "portal_unread": unread,
        "portal_production": settings.PRODUCTION,
        "portal_can_read_audit": can_read_audit(user) if user is not None else False,
    }
