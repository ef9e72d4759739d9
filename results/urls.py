from django.urls import path

from results import import_views, views

app_name = "results"

urlpatterns = [
    # Before results/<slug>/: "import" is not an agency here.
    path("results/import/", import_views.import_results, name="import"),
    path("results/import/jobs/<int:job_id>/", import_views.import_job, name="import_job"),
    path("results/<slug:slug>/", views.index, name="index"),
    path("results/<slug:slug>/<int:year>/", views.result_form, name="form"),
]
