from django.urls import path

from orglife import views

app_name = "orglife"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/<str:indicator_code>/", views.figure, name="figure"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:notice_id>/record/", views.meeting_create, name="meeting_create"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_id>/sign-in/", views.meeting_sign_in, name="meeting_sign_in"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/import/", views.talk_import, name="talk_import"),
    path("talks/import/template.xlsx", views.talk_template, name="talk_template"),
    path("talks/import/problems.xlsx", views.talk_problems, name="talk_problems"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/new/", views.finding_batch, name="finding_batch"),
    path("findings/import/", views.finding_import, name="finding_import"),
    path("findings/import/template.xlsx", views.finding_template, name="finding_template"),
    path("findings/import/problems.xlsx", views.finding_problems, name="finding_problems"),
    path("findings/<int:finding_id>/", views.finding_detail, name="finding_detail"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/<int:measure_id>/done/", views.measure_done, name="measure_done"),
    path("measures/<int:measure_id>/verify/", views.measure_verify, name="measure_verify"),
    path("measures/<int:measure_id>/refuse/", views.measure_refuse, name="measure_refuse"),
    path("measures/<int:measure_id>/close/", views.measure_close, name="measure_close"),
    path("measures/<int:measure_id>/evidence/", views.measure_evidence, name="measure_evidence"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/coverage/", views.coverage, name="coverage"),
    path("supervision/groups/<int:group_id>/", views.group_work, name="group_work"),
    path("supervision/groups/<int:group_id>/inspections/new/", views.inspection_create, name="inspection_create"),
]
