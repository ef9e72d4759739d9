from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path(
        "approvals/<slug:slug>/<int:year>/<int:kind>/request/",
        views.request_page,
        name="request",
    ),
    path(
        "approvals/<slug:slug>/<int:year>/analysis/request/",
        views.analysis_request_page,
        name="analysis_request",
    ),
    path("approvals/<int:pk>/", views.detail, name="detail"),
    path("approvals/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("approvals/<slug:slug>/settings/", views.settings_page, name="settings"),
]
