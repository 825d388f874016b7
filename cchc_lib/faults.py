"""Fault hooks: named points where a test makes the program fail as the world would.

The code calls :func:`point` at places where a real failure can strike (between two renames,
as a kernel starts, ...). Nothing happens unless a test armed that point, either in-process
with :func:`inject` or, for a child process, through the ``CCHC_FAULTS`` environment
variable: ``"atomic.rename=kill"`` (comma-separated ``name=action`` pairs; actions ``kill``
(SIGKILL to this process), ``interrupt`` (KeyboardInterrupt), ``disk-full`` (OSError ENOSPC)).
A point may be armed to fire only on its n-th pass: ``"atomic.rename=kill@2"``.

>>> with inject("example", lambda: None):
...     point("example")
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["ENV", "inject", "point"]

ENV = "CCHC_FAULTS"

_ACTIVE: dict[str, Callable[[], None]] = {}
_PASSES: dict[str, int] = {}


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _interrupt() -> None:
    raise KeyboardInterrupt


def _disk_full() -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


_ACTIONS: dict[str, Callable[[], None]] = {
    "kill": _kill,
    "interrupt": _interrupt,
    "disk-full": _disk_full,
}


def _from_env(name: str) -> Callable[[], None] | None:
    spec = os.environ.get(ENV)
    if not spec:
        return None
    for item in spec.split(","):
        key, _, action = item.strip().partition("=")
        if key != name:
            continue
        action, _, nth = action.partition("@")
        count = _PASSES[name] = _PASSES.get(name, 0) + 1
        if nth and count != int(nth):
            return None
        return _ACTIONS.get(action)
    return None


def point(name: str) -> None:
    """A place where a fault may be injected; does nothing unless ``name`` is armed."""
    action = _ACTIVE.get(name)
    if action is None and ENV in os.environ:
        action = _from_env(name)
    if action is not None:
        action()


@contextmanager
def inject(name: str, action: Callable[[], None]) -> Iterator[None]:
    """Arm ``name`` with ``action`` (a callable that raises, or kills) inside the block."""
    previous = _ACTIVE.get(name)
    _ACTIVE[name] = action
    try:
        yield
    finally:
        if previous is None:
            _ACTIVE.pop(name, None)
        else:
            _ACTIVE[name] = previous
