"""The public URLs of a published list, included under ``/public/<url_path>/`` in the
``public`` namespace. These are a public contract (DESIGN.md): keep them stable."""

from django.urls import path

from . import views


def patterns(published_list) -> list:
    kwargs = {"published_list": published_list.name}
    name = published_list.url_prefix
    return [
        path("<slug:side_code>/", views.list_page, kwargs, name=f"{name}-list"),
        path("<slug:side_code>/feed.atom", views.feed, kwargs, name=f"{name}-feed"),
        path("<slug:side_code>/current.<str:kind>", views.current_file, kwargs, name=f"{name}-current-file"),
        path("<slug:side_code>/versions/", views.versions, kwargs, name=f"{name}-versions"),
        path("<slug:side_code>/versions/<int:version>/", views.version_page, kwargs, name=f"{name}-version"),
        path(
            "<slug:side_code>/versions/<int:version>.<str:kind>",
            views.version_file,
            kwargs,
            name=f"{name}-file",
        ),
        path(
            f"<slug:side_code>/{published_list.detail_path}/<str:key>/",
            views.detail,
            kwargs,
            name=f"{name}-detail",
        ),
    ]
