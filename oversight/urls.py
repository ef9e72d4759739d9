from django.urls import path

from oversight import dashboard_views, results_views, rollup_views

app_name = "oversight"

urlpatterns = [
    path(
        "dashboard/<slug:slug>/<int:year>/<int:kind>/",
        dashboard_views.dashboard,
        name="dashboard",
    ),
    # Overseers: every agency in their scope (oversight.rollup).
    path("oversight/", rollup_views.oversight_index, name="oversight_index"),
    path("oversight/<int:year>/<int:kind>/", rollup_views.oversight, name="oversight"),
    path(
        "oversight/<int:year>/<int:kind>/export.<str:fmt>",
        rollup_views.oversight_export,
        name="oversight_export",
    ),
    # An agency's ITA results over the years, linked from the roll-up.
    path(
        "oversight/agency/<slug:slug>/results/",
        results_views.agency_results,
        name="agency_results",
    ),
]
