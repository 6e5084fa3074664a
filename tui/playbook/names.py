"""Which known name the admin probably meant: for located errors' "did you mean" hints."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from tui.limits import QUOTE_MAX_CHARS


def _similarity(a: str, b: str) -> float:
    # SequenceMatcher is not symmetric ('licnse' vs 'licentie' scores 0.57 one way, 0.71 the other)
    return max(difflib.SequenceMatcher(None, a, b).ratio(), difflib.SequenceMatcher(None, b, a).ratio())


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name``, if any is like it at all."""
    if len(name) > QUOTE_MAX_CHARS:  # no id is this long, and comparing it would take long
        return None
    scored = [(_similarity(name, candidate), candidate) for candidate in known if candidate != name]
    score, best = max(scored, default=(0.0, ""))
    return best if score >= 0.6 else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest known name, or ''."""
    best = closest(name, known)
    return f" (did you mean '{best}'?)" if best else ""
