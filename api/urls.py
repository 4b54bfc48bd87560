from django.urls import path

from api import open311
from api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    # Open311 GeoReport v2 over the concerns.
    path("open311/v2/discovery.json", open311.discovery, name="open311_discovery"),
    path("open311/v2/services.<fmt>", open311.services_list, name="open311_services"),
    path("open311/v2/services/<str:service_code>.<fmt>", open311.service_definition, name="open311_service"),
    path("open311/v2/requests.<fmt>", open311.requests_, name="open311_requests"),
    path("open311/v2/requests/<str:service_request_id>.<fmt>", open311.request_detail, name="open311_request"),
    path("open311/v2/tokens/<str:open311_token>.<fmt>", open311.token_lookup, name="open311_token"),
]
