from django.urls import path

from quality import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("flags/", views.flag_list, name="flag_list"),
    path("flags/<int:quality_flag_id>/decide/", views.flag_decide, name="flag_decide"),
    path("run/", views.run, name="run"),
    path("runs/<int:quality_run_id>/", views.run_status, name="run_status"),
    path("figures/", views.figures, name="figures"),
    path("completeness/", views.completeness, name="completeness"),
    path("burden/", views.burden, name="burden"),
    path("checks/", views.check_list, name="check_list"),
    path("checks/<str:check_code>/", views.check_edit, name="check_edit"),
]
