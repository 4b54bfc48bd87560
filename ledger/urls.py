from django.urls import path

from ledger import campaign_views, views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("learning/", views.learning, name="learning"),
    path("lectures/", views.lectures, name="lectures"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/<slug:kind>/", views.activity_create, name="activity_create"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:activity_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("kinds/", views.kind_list, name="kind_list"),
    path("kinds/new/", views.kind_create, name="kind_create"),
    path("kinds/<slug:kind>/edit/", views.kind_edit, name="kind_edit"),
    path("defined-indicators/", views.indicator_list, name="indicator_list"),
    path("defined-indicators/new/", views.indicator_create, name="indicator_create"),
    path("defined-indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path("periods/", views.periods, name="periods"),
    path("campaigns/<int:campaign_id>/catalogue/", campaign_views.campaign_catalogue, name="campaign_catalogue"),
    path("import/<slug:kind>/", views.import_start, name="import_start"),
    path("import/<slug:kind>/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:job_id>/", views.import_status, name="import_status"),
    path("imports/<int:job_id>/problems.xlsx", views.import_annotated, name="import_annotated"),
]
