from django.urls import path

from campaigns import setup_views, views

app_name = "campaigns"
urlpatterns = [
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("select/", views.select_campaign, name="select"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/groups/<int:group_id>/", views.group_detail, name="group_detail"),
    # Setting a campaign up (campaigns/setup_views.py).
    path("setup/", setup_views.setup_list, name="setup_list"),
    path("setup/new/", setup_views.campaign_new, name="setup_new"),
    path("setup/copy/", setup_views.copy, name="setup_copy"),
    path("setup/import/", setup_views.import_campaign, name="setup_import"),
    path("setup/<int:campaign_id>/", setup_views.setup_detail, name="setup_detail"),
    path("setup/<int:campaign_id>/edit/", setup_views.campaign_edit, name="setup_edit"),
    path("setup/<int:campaign_id>/export.json", setup_views.export, name="setup_export"),
    path("setup/<int:campaign_id>/leading/new/", setup_views.member_edit, name="setup_member_new"),
    path("setup/<int:campaign_id>/leading/<int:member_id>/", setup_views.member_edit, name="setup_member"),
    path("setup/<int:campaign_id>/groups/new/", setup_views.group_edit, name="setup_group_new"),
    path("setup/<int:campaign_id>/groups/<int:group_id>/", setup_views.group_edit, name="setup_group"),
]
