from django.urls import path

from inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("count/", views.count, name="count"),
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.mark_all_read, name="mark_all_read"),
    path("notices/<int:notice_id>/open/", views.notice_open, name="notice_open"),
]
