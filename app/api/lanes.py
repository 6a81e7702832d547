"""Submits run in threads of their own.

A submit is slow next to a status or list call: it locks its owner's row, counts their limits
and queues the job, and a batch does that for each of its jobs (seconds under the 150-teacher
load). Sharing the handler threads, a burst of batches held all of them, and status calls
waited behind it. Submits get a few threads of their own (app.api.main.request_threads), so
the other calls are answered while they wait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Request

T = TypeVar("T")


async def run_submit(request: Request, work: Callable[[], T]) -> T:
    """`work()` in the submit threads of this API process."""
    state = request.app.state
    lane = getattr(state, "submit_lane", None)
    if lane is None:  # made in the event loop that uses it
        lane = state.submit_lane = CapacityLimiter(state.submit_threads)
    return await to_thread.run_sync(work, limiter=lane)
