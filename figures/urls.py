"""The indicator pages, mounted at /ledger/indicators/ (where they have always been)."""

from django.urls import path

from figures import views

app_name = "figures"
urlpatterns = [
    path("", views.table, name="table"),
    path("<str:indicator>/", views.detail, name="detail"),
    path("<str:indicator>/rows/", views.rows, name="rows"),
]
