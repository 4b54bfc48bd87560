"""The static files' storage in production."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage (compressed copies; names that carry their content's hash), each
    file's URL looked up once per process: the manifest is read when the server starts and
    does not change while it runs, and every page asks for the same few files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
