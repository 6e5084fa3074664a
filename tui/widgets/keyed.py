"""The keys table (tui.keys) as Textual bindings, in the admin's language.

Textual keeps a node's bindings in a private map built from its class; replacing that map here, in
this one place, lets a language switch relabel the footer and a new row of the table take effect.
"""

from __future__ import annotations

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tui.keys import fallback_keys, rows

WHY = "why"  # the action of the fallback bindings: a key that does nothing now says why


def bindings(scope: str, lang: str = "nl") -> list[Binding]:
    """The scope's rows as bindings, then one hidden "why" binding per key, tried last."""
    made = [Binding(k.keys, k.action, k.word(lang), show=k.rank is not None, id=k.id, priority=k.priority,
                    system=k.system)
            for k in rows(scope) if k.keys]
    made += [Binding(name, f"{WHY}({name!r})", "Zegt waarom niet", show=False, id=f"{WHY}.{scope}.{name}")
             for name in fallback_keys(scope)]
    return made


def install(node: DOMNode, scope: str, lang: str) -> None:
    """Give ``node`` the scope's bindings in ``lang``, keeping Textual's own (tab, shift+tab)."""
    ours = [b for made in bindings(scope, lang) for b in Binding.make_bindings([made])]
    ids = {b.id for b in ours}
    replaced = {(b.key, b.action) for b in ours}  # Textual's own bindings have no id: matched by key and action
    theirs = [b for items in node._bindings.key_to_bindings.values() for b in items
              if b.id not in ids and (b.key, b.action) not in replaced and not (b.id or "").startswith(f"{WHY}.")]
    node._bindings = BindingsMap([*ours, *theirs])
    if node.is_attached:
        node.refresh_bindings()
