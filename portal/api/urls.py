from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("memoranda", views.MemorandumViewSet, basename="memorandum")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("correspondence", views.CorrespondenceViewSet, basename="correspondence")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("consents", views.DisclosureConsentViewSet, basename="consent")

urlpatterns = router.urls
