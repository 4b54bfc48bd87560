app_name = "quiz"
urlpatterns: list = []
