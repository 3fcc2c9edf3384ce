"""Polite HTTP for the sources: a User-Agent naming publist (and the user's e-mail when given),
one request at a time per source, spaced as the source documents; retries with backoff that
honour Retry-After; timeouts; an on-disk cache (sqlite in the user cache folder) so a second
run asks nothing again."""

from __future__ import annotations

import email.utils
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import tenacity

from .. import __version__
from ..errors import PublistError
from .base import MalformedResponse

RETRIES = 4  # attempts per request in all
MAX_RETRY_AFTER = 120.0  # a longer Retry-After is a failure for this run, not a long sleep


class FetchError(Exception):
    """A request that failed for good (after the retries)."""


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class NotCached(FetchError):
    """--offline and the cache does not hold the answer."""


def cache_path() -> Path:
    """``PUBLIST_CACHE_DIR`` or the platform's user cache folder (~/.cache/publist on Linux)."""
    import platformdirs

    folder = os.environ.get("PUBLIST_CACHE_DIR") or platformdirs.user_cache_dir("publist")
    return Path(folder) / "complete.sqlite"


class Cache:
    """Answers by URL. Only answers that parsed are kept, so a malformed body is asked again."""

    def __init__(self, path: Path):
        self.lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, check_same_thread=False, timeout=30)
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS answers (url TEXT PRIMARY KEY, status INTEGER, "
                "body BLOB, fetched REAL)"
            )
            self.db.commit()
        except (OSError, sqlite3.Error) as err:
            raise PublistError(f"cannot open the cache: {err}", str(path)) from None

    def get(self, url: str) -> tuple[int, bytes] | None:
        with self.lock:
            row = self.db.execute("SELECT status, body FROM answers WHERE url = ?", (url,))
            found = row.fetchone()
        return (int(found[0]), bytes(found[1])) if found else None

    def put(self, url: str, status: int, body: bytes) -> None:
        with self.lock:  # committed at once: an interrupted run keeps what it was told
            self.db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                (url, status, body, time.time()),
            )
            self.db.commit()

    def close(self) -> None:
        with self.lock:
            self.db.close()


class Interrupted(Exception):
    """The run is being stopped (Ctrl-C): no new request starts."""


class _Pace:
    """One request at a time to a source, each starting at least ``interval`` s after the
    previous one *ended*: since a service receives a request before it answers it, it then
    never sees two requests closer than ``interval``, whatever the delays on the way (a busy
    machine can hold a request back and send it right before the next)."""

    def __init__(self, interval: float, stop: threading.Event):
        self.stop = stop
        self.interval = interval
        self.slot = threading.Lock()
        self.lock = threading.Lock()
        self.next_start = 0.0

    def wait_turn(self) -> None:
        with self.lock:
            delay = self.next_start - time.monotonic()
        if self.stop.wait(max(0.0, delay)) or self.stop.is_set():
            raise Interrupted()

    def slow_to(self, interval: float | None) -> None:
        """A service that advertises a lower rate than documented is followed (never a
        higher one)."""
        if interval is not None:
            with self.lock:
                self.interval = max(self.interval, min(interval, MAX_RETRY_AFTER))

    def done(self) -> None:
        with self.lock:
            self.next_start = max(self.next_start, time.monotonic() + self.interval)

    def hold_off(self, seconds: float) -> None:
        """After a 429: nobody on this source starts before ``seconds`` from now."""
        with self.lock:
            self.next_start = max(self.next_start, time.monotonic() + seconds)


def _advertised_interval(response: httpx.Response) -> float | None:
    """Seconds per request from Crossref's ``X-Rate-Limit-Limit: 50`` and
    ``X-Rate-Limit-Interval: 1s`` headers, when a service sends them."""
    limit = response.headers.get("X-Rate-Limit-Limit", "").strip()
    window = response.headers.get("X-Rate-Limit-Interval", "").strip().removesuffix("s")
    try:
        return float(window) / int(limit) if int(limit) > 0 else None
    except ValueError:
        return None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:  # or an HTTP date
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def user_agent(email_address: str | None) -> str:
    contact = f"; mailto:{email_address}" if email_address else ""
    return f"publist/{__version__} (https://github.com/publist/publist{contact})"


def parsed(parse: Callable[[bytes], Any], body: bytes) -> Any:
    """``parse(body)``; a body that is JSON or XML but not shaped as documented (an object
    where a list belongs…) is a malformed answer too, not a crash."""
    try:
        return parse(body)
    except MalformedResponse as err:
        raise FetchError(f"malformed answer: {err}") from None
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as err:
        raise FetchError(f"malformed answer: unexpected structure ({err!r})") from None


class Fetcher:
    """GETs for every source, counted: ``requests`` went to the network, ``cached`` did not."""

    def __init__(
        self,
        cache: Cache,
        email_address: str | None = None,
        offline: bool = False,
        timeout: float = 20.0,
        backoff: float = 1.0,
    ):
        self.cache = cache
        self.offline = offline
        self.backoff = backoff
        self.client = httpx.Client(
            headers={"User-Agent": user_agent(email_address)},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
        )
        self.paces: dict[str, _Pace] = {}
        self.stop = threading.Event()
        self.count_lock = threading.Lock()
        self.requests = 0
        self.cached = 0

    def add_source(self, name: str, interval: float) -> None:
        self.paces[name] = _Pace(interval, self.stop)

    def get(self, source: str, url: str, params: dict[str, str], parse: Callable[[bytes], Any]):
        """The parsed answer; a 404 is parsed as an empty body (b"")."""
        full = url + ("?" + urlencode(sorted(params.items())) if params else "")
        hit = self.cache.get(full)
        if hit is not None:
            with self.count_lock:
                self.cached += 1
            return parsed(parse, hit[1] if hit[0] == 200 else b"")
        if self.offline:
            raise NotCached("not in the cache (--offline)")
        status, body = self._network(source, full)
        answer = parsed(parse, body if status == 200 else b"")
        self.cache.put(full, status, body)
        return answer

    def _network(self, source: str, url: str) -> tuple[int, bytes]:
        pace = self.paces[source]

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            after = getattr(error, "retry_after", None)
            if after is not None:
                pace.hold_off(after)
                return 0.0  # the pace itself now waits until Retry-After has passed
            return self.backoff * 2 ** (state.attempt_number - 1)

        def sleep(seconds: float) -> None:
            if self.stop.wait(seconds):
                raise Interrupted()

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Retryable),
            stop=tenacity.stop_after_attempt(RETRIES),
            wait=wait,
            sleep=sleep,
            reraise=True,
        )
        try:
            return retrying(self._once, pace, url)
        except _Retryable as err:
            raise FetchError(f"{err} (after {RETRIES} attempts)") from None

    def _once(self, pace: _Pace, url: str) -> tuple[int, bytes]:
        with pace.slot:
            pace.wait_turn()
            with self.count_lock:
                self.requests += 1
            try:
                response = self.client.get(url)
            except httpx.TimeoutException:
                raise _Retryable("timed out") from None
            except httpx.TransportError as err:
                raise _Retryable(f"connection failed: {err}") from None
            finally:
                pace.done()
        pace.slow_to(_advertised_interval(response))
        if response.status_code == 429 or response.status_code >= 500:
            after = _retry_after(response)
            if after is not None and after > MAX_RETRY_AFTER:
                raise FetchError(f"HTTP {response.status_code}, asked to wait {after:.0f} s")
            raise _Retryable(f"HTTP {response.status_code}", after)
        if response.status_code not in (200, 404):
            raise FetchError(f"HTTP {response.status_code}")
        return response.status_code, response.content

    def close(self) -> None:
        self.client.close()
