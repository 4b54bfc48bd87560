from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("report/edit/", views.draft_edit, name="draft_edit"),
    path("report/publish/", views.publish, name="publish"),
    path("published/<int:report_id>/", views.published, name="published"),
    path("published/<int:report_id>/export/", views.published_export, name="published_export"),
    path("builds/", views.build_start, name="build_start"),
    path("builds/<int:build_id>/", views.build_status, name="build"),
    path("builds/<int:build_id>/file/", views.build_file, name="build_file"),
]
