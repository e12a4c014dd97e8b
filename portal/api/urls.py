from rest_framework.routers import DefaultRouter

from .. import hooks
from ..records.api import ConsentRequestViewSet
from . import views

router = DefaultRouter()
router.register("memoranda", views.MemorandumViewSet, basename="memorandum")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("correspondence", views.CorrespondenceViewSet, basename="correspondence")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("consents", views.DisclosureConsentViewSet, basename="consent")
router.register("consent-requests", ConsentRequestViewSet, basename="consent-request")

# The domain apps' endpoints, registered from their AppConfig (portal.hooks), on the
# same router and under the same defaults.
for prefix, viewset, basename in hooks.API_ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
