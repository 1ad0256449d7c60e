"""Paths of a document's position tables, indexed by parent path.

A parsed document records the position of every key and value by its path
(``("outcomes", "pd_nhs", "proxy")``).  Merging a file over the file it
``extends`` drops or copies whole subtrees of those tables: every path at and
below a given one.  Scanning a table for each such path costs its size each
time, so a file that overrides thousands of entries of a large parent took
minutes.  :class:`Subtrees` finds them by walking down from the path instead,
in time proportional to the subtree.
"""

from __future__ import annotations

from collections.abc import Iterable

from sroi.scenario.yamlio import Path_


class Subtrees:
    """Every path registered, and every path above one, by its parent path.

    >>> t = Subtrees([("a", "b"), ("a", "c", 0), ("d",)])
    >>> t.below(("a",))
    [('a',), ('a', 'b'), ('a', 'c'), ('a', 'c', 0)]
    >>> t.remove(("a", "c"))
    >>> t.below(("a",))
    [('a',), ('a', 'b')]
    """

    def __init__(self, paths: Iterable[Path_] = ()) -> None:
        # Children of each path, in the order they were first registered
        # (a dict used as an ordered set).
        self._children: dict[Path_, dict[Path_, None]] = {}
        children = self._children
        # A path given again changes nothing (a document's tables hold each
        # key's path twice): each is registered once, in the order first given.
        for path in dict.fromkeys(paths):
            # Most paths' parents are registered already (a document's tables
            # hold every key's path): one step, not a walk up.
            if len(path) == 1 or (path and path[:-1] in children.get(path[:-2], ())):
                children.setdefault(path[:-1], {})[path] = None
            else:
                self.add(path)

    def copy(self) -> Subtrees:
        """An independent copy: changing one leaves the other as it was."""
        out = Subtrees()
        out._children = {parent: dict(children) for parent, children in self._children.items()}
        return out

    def add(self, path: Path_) -> None:
        """Register ``path`` and every path above it."""
        for n in range(len(path), 0, -1):
            siblings = self._children.setdefault(path[: n - 1], {})
            if path[:n] in siblings:
                return  # the paths above were registered with it
            siblings[path[:n]] = None

    def below(self, path: Path_) -> list[Path_]:
        """``path`` and every registered path under it, parents before children."""
        out = [path]
        i = 0
        while i < len(out):
            out.extend(self._children.get(out[i], ()))
            i += 1
        return out

    def remove(self, path: Path_) -> None:
        """Forget every path under ``path``, and ``path`` itself."""
        for p in self.below(path):
            self._children.pop(p, None)
        if path:
            self._children.get(path[:-1], {}).pop(path, None)


__all__ = ["Subtrees"]
