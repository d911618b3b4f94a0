"""Logins, sessions, API tokens, roles and CSRF for the API.

By default every endpoint, reads included, needs a login: reports can name witnesses and victims.
Browsers get a session cookie (HttpOnly, Secure, SameSite=Strict) and a CSRF token that every write
must echo in ``X-CSRF-Token`` (a cross-site form cannot set a header, and SameSite does not separate
two ports of one host); scripts and the CLI send ``Authorization: Bearer <token>`` instead, which a
browser never adds by itself, so token requests need no CSRF token. Reads need the viewer role,
writes the coder role, account and retraction endpoints the admin role. ``--no-auth`` (localhost
only) serves one implicit local admin.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rasd.store.review import Reviews, User

COOKIE = "rasd_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL_USER = User(id=0, username="local", role="admin")


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class MeOut(BaseModel):
    username: str
    role: str
    csrf_token: str | None
    auth: bool


@dataclass(slots=True)
class RateLimit:
    """At most ``limit`` attempts per ``window`` seconds per key (a client address or an account).

    A sliding window kept in this process: a burst of ``limit`` passes, the next waits until the
    oldest attempt leaves the window, and ``Retry-After`` says how long. ``limit`` 0 turns it off.
    """

    limit: int = 10
    window: float = 60.0
    what: str = "login attempts"
    seen: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, key: str) -> None:
        if self.limit <= 0:
            return
        now = time.monotonic()
        if len(self.seen) > 10_000:  # forget idle clients so the table cannot grow without end
            self.seen = {k: v for k, v in self.seen.items() if v and now - v[-1] <= self.window}
        attempts = self.seen.setdefault(key, deque())
        while attempts and now - attempts[0] > self.window:
            attempts.popleft()
        if len(attempts) >= self.limit:
            wait = max(1, math.ceil(self.window - (now - attempts[0])))
            raise HTTPException(
                429,
                f"too many {self.what}: at most {self.limit} per {self.window:g} s; wait {wait} s",
                headers={"retry-after": str(wait)},
            )
        attempts.append(now)


class Auth:
    """Who is asking, and may they: one instance per app."""

    def __init__(self, reviews: Reviews, *, required: bool = True, secure_cookie: bool = True):
        self.reviews = reviews
        self.required = required
        self.secure_cookie = secure_cookie
        self.login_limit = RateLimit()

    def identify(self, request: Request) -> tuple[User | None, str | None, bool]:
        """(user, csrf token of the session, came by cookie?) for a request."""
        if not self.required:
            return LOCAL_USER, None, False
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return self.reviews.token_user(header[7:].strip()), None, False
        session_id = request.cookies.get(COOKIE)
        if session_id:
            found = self.reviews.session_user(session_id)
            if found is not None:
                return found[0], found[1], True
        return None, None, False

    def require(
        self, read: str = "viewer", write: str = "coder"
    ) -> Callable[[Request], Awaitable[User]]:
        """A dependency: a login with role ``read`` for safe methods, ``write`` for the others.

        Async, so that without logins it costs no trip through the thread pool; a login is
        looked up in the database from the pool.
        """

        async def dependency(request: Request) -> User:
            if self.required:
                user, csrf, by_cookie = await run_in_threadpool(self.identify, request)
            else:
                user, csrf, by_cookie = self.identify(request)  # no database: no thread hop
            if user is None:
                raise HTTPException(
                    401, "log in first (POST /api/login) or send an API token",
                    headers={"www-authenticate": "Bearer"},
                )  # fmt: skip
            unsafe = request.method not in SAFE_METHODS
            if unsafe and by_cookie:
                check_same_origin(request)
                if not csrf or request.headers.get(CSRF_HEADER) != csrf:
                    raise HTTPException(403, "missing or wrong CSRF token (X-CSRF-Token header)")
            needed = write if unsafe else read
            if not user.may(needed):
                raise HTTPException(403, f"{user.username} is a {user.role}; this needs {needed}")
            request.state.user = user
            return user

        return dependency

    def router(self) -> APIRouter:
        router = APIRouter(prefix="/api", tags=["accounts"])

        @router.post("/login", response_model=MeOut, summary="Log in; sets the session cookie")
        async def login(body: LoginIn, request: Request, response: Response) -> MeOut:
            if not self.required:
                return MeOut(
                    username=LOCAL_USER.username, role="admin", csrf_token=None, auth=False
                )
            check_same_origin(request)
            self.login_limit.check(request.client.host if request.client else "unknown")
            user = await run_in_threadpool(self.reviews.authenticate, body.username, body.password)
            if user is None:
                raise HTTPException(401, "wrong username or password")
            session_id, csrf = await run_in_threadpool(self.reviews.start_session, user)
            response.set_cookie(
                COOKIE,
                session_id,
                httponly=True,
                secure=self.secure_cookie,
                samesite="strict",
                path="/",
            )
            return MeOut(username=user.username, role=user.role, csrf_token=csrf, auth=True)

        @router.post("/logout", status_code=204, summary="End this browser session")
        def logout(request: Request, response: Response) -> Response:
            session_id = request.cookies.get(COOKIE)
            if session_id:
                user = self.reviews.session_user(session_id)
                self.reviews.end_session(session_id)
                if user is not None:
                    self.reviews.audit(user[0].username, "logout", None, None)
            response.delete_cookie(COOKIE, path="/")
            response.status_code = 204
            return response

        @router.get("/me", response_model=MeOut, summary="Who is logged in, and the CSRF token")
        def me(request: Request) -> MeOut:
            user, csrf, _ = self.identify(request)
            if user is None:
                raise HTTPException(401, "not logged in")
            return MeOut(
                username=user.username, role=user.role, csrf_token=csrf, auth=self.required
            )

        return router


def check_same_origin(request: Request) -> None:
    """A write whose Origin (or Referer) names another site is refused outright."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return
    host = request.headers.get("host", "")
    scheme = request.url.scheme
    if not (origin == f"{scheme}://{host}" or origin.startswith(f"{scheme}://{host}/")):
        raise HTTPException(403, "cross-site request refused")
