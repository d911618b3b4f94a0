"""The HTTP API and web page (``rasd serve``).

``create_app`` is imported on first use: FastAPI and the app's models cost every ``rasd``
command seconds of start-up, and only ``rasd serve`` needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rasd.api.settings import ApiSettings

if TYPE_CHECKING:
    from rasd.api.app import create_app

__all__ = ["ApiSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from rasd.api.app import create_app

        return create_app
    raise AttributeError(f"module 'rasd.api' has no attribute {name!r}")
