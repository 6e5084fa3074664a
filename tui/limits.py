"""Every size limit koppel puts on outside input, in one place (the README's "Reliability" section
lists them). Beyond a limit koppel refuses with a message that names the limit; it never truncates
an answer silently, and never holds more than the limit in memory to find out.

A ground module: imports nothing of koppel.
"""

from __future__ import annotations

KIB, MIB = 1024, 1024 * 1024

FIELD_MAX_CHARS = 4096  # one form field value: typed, pasted or imported (a path, an address, a name)
LIST_MAX_ITEMS = 200  # items of a list field (administraties, extra URLs)
ANSWERS_FILE_MAX_BYTES = 1 * MIB  # an answers file (a full export of the built-in checklist is ~10 KiB)
PLAYBOOK_FILE_MAX_BYTES = 4 * MIB  # a playbook (the built-in AV-638111 is ~60 KiB)
STATE_FILE_MAX_BYTES = 64 * MIB  # a state file (40 steps with full 200-line log tails is ~400 KiB)
NESTING_MAX = 24  # tables and arrays inside each other in a TOML or JSON file (the built-in playbook: 11)
QUOTE_MAX_CHARS = 120  # a value quoted in a message: the start, then "... (N characters)"
MESSAGE_MAX_CHARS = 2000  # one message line (an error, a check's result) before it is cut
CHILD_OUTPUT_MAX_BYTES = 1 * MIB  # what koppel keeps of a helper process's stdout and of its stderr


def quote(value: object, limit: int = QUOTE_MAX_CHARS) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters with the full length said."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else text
    shown = repr(text[:limit]) if isinstance(value, str) else text[:limit]
    return f"{shown}... ({len(text):,} characters)"


def clip(message: str, limit: int = MESSAGE_MAX_CHARS) -> str:
    """A message cut to ``limit`` characters, saying how much was left out."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}... ({len(message) - limit:,} more characters)"


def nesting_depth(data: object, stop_at: int = NESTING_MAX) -> int:
    """How deeply lists and dicts nest in ``data`` (a scalar is 0), counted without recursion and
    without looking deeper than ``stop_at + 1``."""
    deepest = 0
    todo: list[tuple[object, int]] = [(data, 0)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > stop_at:
            return deepest
        todo.extend((child, depth) for child in children)
    return deepest
