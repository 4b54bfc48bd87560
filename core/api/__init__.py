"""The kit every app's API endpoints (``<app>/api.py``) share: schemas, cursor pagination,
the shape of refusals and their messages. It knows no app; the API instance that mounts the
apps' routers is the api app's (``api/v1.py``)."""
