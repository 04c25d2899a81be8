"""The unit tree: the units below a unit and the chain above it, read in one query and walked in
memory. A walk ends on bad data (a cycle, or a chain deeper than MAX_DEPTH) instead of looping."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kinerja.extensions import db
from kinerja.organisation.models import Unit

# The longest supervisor chain or unit path we follow; real ones are under ten levels.
MAX_DEPTH = 50


@dataclass
class UnitTree:
    """All units as (id -> parent id) and (id -> child ids; None -> the roots)."""
    parent: dict[int, int | None]
    children: dict[int | None, list[int]]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, int | None]]) -> "UnitTree":
        parent: dict[int, int | None] = {}
        children: dict[int | None, list[int]] = defaultdict(list)
        for unit_id, parent_id in pairs:
            parent[unit_id] = parent_id
            children[parent_id].append(unit_id)
        return cls(parent, children)

    @classmethod
    def load(cls) -> "UnitTree":
        return cls.from_pairs(db.session.execute(db.select(Unit.id, Unit.parent_id)))

    def below(self, *roots: int, stop: Iterable[int] = ()) -> set[int]:
        """The units and every unit under them, not entering the sub-trees rooted at `stop`."""
        stop = set(stop) - set(roots)
        found: set[int] = set()
        stack = list(roots)
        while stack:
            current = stack.pop()
            if current in found or current in stop:
                continue
            found.add(current)
            stack.extend(self.children.get(current, []))
        return found

    def up(self, unit_id: int | None) -> list[int]:
        """The unit and its ancestors, nearest first."""
        chain: list[int] = []
        while unit_id is not None and unit_id not in chain and len(chain) < MAX_DEPTH:
            chain.append(unit_id)
            unit_id = self.parent.get(unit_id)
        return chain


def subtree_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it."""
    return UnitTree.load().below(unit.id)


def unit_and_ancestors(unit: Unit | None) -> list[Unit]:
    """The unit and the units above it, nearest first (through the loaded relationships)."""
    chain: list[Unit] = []
    while unit is not None and unit not in chain and len(chain) < MAX_DEPTH:
        chain.append(unit)
        unit = unit.parent
    return chain
