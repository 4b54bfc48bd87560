from django.urls import path

from quiz import picker, views

app_name = "quiz"
urlpatterns = [
    path("", views.index, name="index"),
    # taking
    path("take/<int:quiz_id>/", views.take, name="take"),
    path("take/<int:quiz_id>/units/", views.unit_choices, name="unit_choices"),
    path("take/<int:quiz_id>/units/tree/", picker.unit_tree, name="unit_tree"),
    path("attempt/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempt/<int:attempt_id>/answer/", views.answer, name="answer"),
    path("attempt/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("attempt/<int:attempt_id>/result/", views.result, name="result"),
    path("sign-out/", views.sign_out, name="sign_out"),
    # the question bank
    path("bank/", views.bank, name="bank"),
    path("bank/new/", views.question_new, name="question_new"),
    path("bank/export/", views.bank_export, name="bank_export"),
    path("bank/import/", views.bank_import, name="bank_import"),
    path("bank/<int:question_id>/", views.question_edit, name="question_edit"),
    path("bank/<int:question_id>/status/", views.question_status, name="question_status"),
    # quizzes and results
    path("manage/new/", views.quiz_new, name="quiz_new"),
    path("manage/<int:quiz_id>/", views.quiz_manage, name="manage"),
    path("manage/<int:quiz_id>/codes/", views.quiz_codes, name="codes"),
    path("manage/<int:quiz_id>/codes.xlsx", views.quiz_codes_export, name="codes_export"),
    path("results/<int:quiz_id>/", views.results, name="results"),
    path("results/<int:quiz_id>/export/", views.results_export, name="results_export"),
    path("results/<int:quiz_id>/attempts/", views.results_attempts, name="attempts"),
    path("review/<int:attempt_id>/", views.review, name="review"),
]
