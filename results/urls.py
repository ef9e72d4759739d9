from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("results/<slug:slug>/", views.index, name="index"),
    path("results/<slug:slug>/<int:year>/", views.result_form, name="form"),
]
