from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.preferences, name="preferences"),
]
