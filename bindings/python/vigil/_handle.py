"""The lifetime every reference-counted native object (model, MedDRA
dictionary) shares: close() or the garbage collector frees it, never under a
call still running on another thread."""

from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from ._errors import invalid_argument


class Handle:
    """Owns one native pointer, released by `free` (a vigil_*_free)."""

    def __init__(self, pointer: int, free: Callable[[int], None], kind: str):
        self._pointer: int | None = pointer
        self._kind = kind  # "model", "dictionary": names it in the closed error
        # Counts calls in flight, so close() from one thread never frees the
        # object under a call running on another: the last call out frees it.
        self._lock = threading.Lock()
        self._busy = 0
        self._finalizer = weakref.finalize(self, free, pointer)
        # Not at interpreter exit: a daemon thread may still be inside a call.
        self._finalizer.atexit = False

    def close(self) -> None:
        """Releases the native object (after any calls still running). Idempotent."""
        with self._lock:
            self._pointer = None
            if self._busy == 0:
                self._finalizer()

    @property
    def closed(self) -> bool:
        return self._pointer is None

    def __enter__(self):
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _held(self) -> Iterator[int]:
        """The pointer, kept open until the block ends; a closed object
        raises InvalidArgumentError."""
        with self._lock:
            pointer = self._pointer
            if pointer is None:
                raise invalid_argument(f"the {self._kind} is closed")
            self._busy += 1
        try:
            yield pointer
        finally:
            with self._lock:
                self._busy -= 1
                if self._busy == 0 and self._pointer is None:
                    self._finalizer()

    def _call(self, function: Callable[..., Any], *arguments: Any) -> Any:
        """function(pointer, *arguments), with the object kept open meanwhile."""
        with self._held() as pointer:
            return function(pointer, *arguments)
