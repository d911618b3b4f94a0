"""The HTTP API and web page (``rasd serve``)."""

from rasd.api.app import ApiSettings, create_app

__all__ = ["ApiSettings", "create_app"]
