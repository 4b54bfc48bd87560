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
    path("template/", views.template_index, name="template"),
    path("template/lines/<slug:name>/", views.template_line, name="template_line"),
    path("template/sections/add/", views.template_section, name="template_section_add"),
    path("template/sections/<slug:section_key>/", views.template_section, name="template_section"),
    path("template/sections/<slug:section_key>/delete/", views.template_section_delete, name="template_section_delete"),
    path("template/<slug:section_key>/add/", views.template_sentence, name="template_sentence_add"),
    path(
        "template/<slug:section_key>/<int:paragraph>/<int:sentence>/", views.template_sentence, name="template_sentence"
    ),
    path(
        "template/<slug:section_key>/<int:paragraph>/<int:sentence>/move/",
        views.template_sentence_move,
        name="template_sentence_move",
    ),
    path(
        "template/<slug:section_key>/<int:paragraph>/<int:sentence>/delete/",
        views.template_sentence_delete,
        name="template_sentence_delete",
    ),
]
