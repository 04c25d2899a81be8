"""Pages of a list already in memory, for the `pagination` macro (macros/tables.html)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ListPage:
    """One page of `rows`: the same attributes the macro reads on a Flask-SQLAlchemy page."""
    rows: Sequence
    page: int
    per_page: int

    @classmethod
    def of(cls, rows: Sequence, page: int | None, per_page: int) -> ListPage:
        """The page asked for, the last one when asked past the end, the first for nonsense."""
        pages = max(1, -(-len(rows) // per_page))
        return cls(rows, min(max(page or 1, 1), pages), per_page)

    @property
    def items(self) -> Sequence:
        start = (self.page - 1) * self.per_page
        return self.rows[start:start + self.per_page]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None
