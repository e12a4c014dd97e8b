from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import hooks
from .records import views as records
from .views import account, auth, core, errors, files, memorandum, public
from .views import audit as audit_views

public_patterns = (
    [
        path("", public.PublicIndexView.as_view(), name="index"),
        *(path(prefix, include(module)) for prefix, module in hooks.PUBLIC_URLS),
    ],
    "public",
)

urlpatterns = [
    path("", core.HomeView.as_view(), name="home"),
    path("inbox/", core.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", core.NotificationReadView.as_view(), name="notification-read"),
    path("inbox/<int:pk>/open/", core.NotificationOpenView.as_view(), name="notification-open"),
    path("inbox/read-all/", core.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("correspondence/", core.CorrespondenceListView.as_view(), name="correspondence-list"),
    path("correspondence/new/", core.correspondence_create, name="correspondence-create"),
    path("correspondence/<int:pk>/", core.CorrespondenceDetailView.as_view(), name="correspondence-detail"),
    path("correspondence/<int:pk>/send/", core.CorrespondenceSendView.as_view(), name="correspondence-send"),
    path(
        "correspondence/<int:pk>/reply/", core.CorrespondenceReplyView.as_view(), name="correspondence-reply"
    ),
    path(
        "records/<str:app_label>/<str:model_name>/<int:pk>/consent/",
        records.ConsentView.as_view(),
        name="consent-create",
    ),
    path("files/<int:pk>/", files.FileDownloadView.as_view(), name="file-download"),
    path(
        "records/<str:app_label>/<str:model_name>/<int:pk>/<str:action>/",
        records.record_action,
        name="record-action",
    ),
    path(
        "consent-requests/<int:pk>/decide/",
        records.DecideConsentView.as_view(),
        name="consent-request-decide",
    ),
    path(
        "consent-requests/<int:pk>/cancel/",
        records.CancelConsentRequestView.as_view(),
        name="consent-request-cancel",
    ),
    path("consents/", core.ConsentListView.as_view(), name="consent-list"),
    path("consents/<int:pk>/letter/", files.ConsentLetterView.as_view(), name="consent-letter"),
    path("consents/<int:pk>/withdraw/", core.ConsentWithdrawView.as_view(), name="consent-withdraw"),
    path("memorandum/<int:pk>/", memorandum.MemorandumDetailView.as_view(), name="memorandum-detail"),
    path(
        "memorandum/<int:pk>/terminate/",
        memorandum.MemorandumTerminateView.as_view(),
        name="memorandum-terminate",
    ),
    path(
        "memorandum/<int:pk>/amendments/new/",
        memorandum.AmendmentCreateView.as_view(),
        name="memorandum-amendment-new",
    ),
    path("organizations/", core.OrganizationListView.as_view(), name="organization-list"),
    path("public/", include(public_patterns)),
    *(path(prefix, include(module)) for prefix, module in hooks.URLS),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/unlock/", auth.SelfUnlockView.as_view(), name="login-unlock"),
    path("accounts/password/", auth.AuditedPasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/security/", account.SecurityView.as_view(), name="account-security"),
    path("accounts/2fa/setup/", account.SecondFactorSetupView.as_view(), name="otp-setup"),
    path("accounts/2fa/verify/", account.SecondFactorVerifyView.as_view(), name="otp-verify"),
    path("accounts/2fa/recovery-codes/", account.RecoveryCodesView.as_view(), name="otp-recovery-codes"),
    path("accounts/2fa/remove/", account.SecondFactorRemoveView.as_view(), name="otp-remove"),
    path("accounts/sessions/<int:pk>/end/", account.SessionEndView.as_view(), name="session-end"),
    path("accounts/tokens/", account.TokenListView.as_view(), name="account-tokens"),
    path("accounts/tokens/<int:pk>/revoke/", account.TokenRevokeView.as_view(), name="token-revoke"),
    path("audit/", audit_views.AuditListView.as_view(), name="audit-list"),
    path("audit/export.csv", audit_views.AuditExportView.as_view(), name="audit-export"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("portal.api.urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
