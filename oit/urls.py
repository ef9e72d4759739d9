from django.urls import path

from oit import views

app_name = "oit"

urlpatterns = [
    path("p/<slug:slug>/<int:year>/oit/", views.public, name="public"),
    path("oit/<slug:slug>/<int:year>/", views.edit, name="edit"),
    path("oit/<slug:slug>/<int:year>/export/<str:fmt>/", views.export, name="export"),
]
