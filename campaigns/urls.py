from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("select/", views.select_campaign, name="select"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/groups/<int:group_id>/", views.group_detail, name="group_detail"),
]
