from django.urls import path

from orgs import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("scope/", views.choose_scope, name="choose_scope"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/add/", views.unit_create, name="unit_create"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<str:code>/move/", views.unit_move, name="unit_move"),
    path("units/<str:code>/close/", views.unit_close, name="unit_close"),
    path("units/<str:code>/history/", views.unit_history, name="unit_history"),
    path("units/<str:code>/people/", views.unit_people, name="unit_people"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:account_id>/active/", views.account_set_active, name="account_set_active"),
    path("accounts/<int:account_id>/unlock/", views.account_unlock, name="account_unlock"),
]

# The account's API tokens, at /api/tokens/ (included by xuejiao/urls.py, outside the orgs
# namespace: their names are "api_tokens" and "api_token_revoke").
token_urlpatterns = [
    path("", views.api_tokens, name="api_tokens"),
    path("<int:api_token_id>/revoke", views.api_token_revoke, name="api_token_revoke"),
]
