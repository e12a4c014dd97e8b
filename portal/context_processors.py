from django.conf import settings


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
    }
