from django.urls import path

from paperwork import views

app_name = "paperwork"

urlpatterns = [
    path("paperwork/<slug:slug>/", views.index, name="index"),
    path(
        "paperwork/<slug:slug>/<int:year>/<int:kind>/v<int:version>/<str:document>.pdf",
        views.download,
        name="download",
    ),
    path(
        "paperwork/<slug:slug>/<int:year>/analysis/v<int:version>/<str:document>.pdf",
        views.download_analysis,
        name="download_analysis",
    ),
    path("paperwork/<slug:slug>/templates/<str:kind>/", views.edit_template, name="template"),
    path("paperwork/<slug:slug>/retry/<int:failure>/", views.retry, name="retry"),
]
