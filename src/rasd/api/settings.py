"""What ``rasd serve`` can set about the app; light to import, so the CLI starts fast."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_UPLOAD = 2 * 1024 * 1024
# Uploads per client per minute: each one queues work for the extraction worker, so a loop of
# uploads would keep it busy for everyone; 30 a minute is far above a person or a crawler feeding
# reports one by one (batches go through `rasd ingest`/`rasd batch`, not the API).
DEFAULT_UPLOADS_PER_MINUTE = 30


@dataclass(frozen=True, slots=True)
class ApiSettings:
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    auth_required: bool = True  # False only for `rasd serve --no-auth` on localhost
    secure_cookie: bool = True
    uploads_per_minute: int = DEFAULT_UPLOADS_PER_MINUTE  # per account, or per address; 0: off
