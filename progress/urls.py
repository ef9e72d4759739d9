from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("measures/<int:pk>/", views.measure_detail, name="detail"),
    path("measures/<int:pk>/round/<int:kind>/", views.progress_edit, name="progress"),
    path("measures/<int:pk>/round/<int:kind>/review/", views.progress_review, name="review"),
    path(
        "measures/<int:pk>/round/<int:kind>/part/<int:division_pk>/",
        views.part_edit,
        name="part",
    ),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
