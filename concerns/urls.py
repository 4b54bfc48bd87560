from django.urls import path

from concerns import open311, views

app_name = "concerns"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/<str:figure>/", views.figure, name="figure"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit_detail"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("list/", views.concern_list, name="concern_list"),
    path("new/", views.concern_create, name="concern_create"),
    path("categories/", views.categories, name="categories"),
    path("<int:concern_id>/", views.concern_detail, name="concern_detail"),
    path("<int:concern_id>/act/", views.concern_act, name="concern_act"),
    path("<int:concern_id>/edit/", views.concern_edit, name="concern_edit"),
    path("key-items/", views.key_item_list, name="key_item_list"),
    path("key-items/<int:key_item_id>/", views.key_item_detail, name="key_item_detail"),
    path("key-items/<int:key_item_id>/act/", views.key_item_act, name="key_item_act"),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pairing_id>/", views.pairing_detail, name="pairing_detail"),
]

# Open311 GeoReport v2 over the concerns, at /open311/v2/ (included by xuejiao/urls.py,
# outside the concerns namespace: their names are "open311_...").
open311_urlpatterns = [
    path("discovery.json", open311.discovery, name="open311_discovery"),
    path("services.<fmt>", open311.services_list, name="open311_services"),
    path("services/<str:service_code>.<fmt>", open311.service_definition, name="open311_service"),
    path("requests.<fmt>", open311.requests_, name="open311_requests"),
    path("requests/<str:service_request_id>.<fmt>", open311.request_detail, name="open311_request"),
    path("tokens/<str:open311_token>.<fmt>", open311.token_lookup, name="open311_token"),
]
