"""Sheets of plain values: what a service's export holds, for the HTTP shell to write as a workbook.

A service says what each sheet shows (its rows, the names of its columns, which line is a total
or how deep a line sits in a tree) and leaves the file format and the styling to web.workbooks.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """A line with a layout of its own; a plain sequence is an ordinary line."""
    values: Sequence
    total: bool = False        # a total: in bold
    level: int | None = None   # a line of a tree: its name (the second column) indented this deep


@dataclass
class Sheet:
    name: str
    header: Sequence[str] = ()      # the names of the columns, above the rows
    rows: list = field(default_factory=list)  # sequences of values, or Row
    title: str | None = None        # the sheet's first line, above the header
    blank_after_title: bool = False
    notes: Sequence[str] = ()       # lines under the rows, after an empty one
    widths: Mapping[str, float] = field(default_factory=dict)  # column letter -> characters
    date_format: str | None = None  # how the dates in the rows read ("yyyy-mm-dd", "mmm yyyy")
    # Column number (1-based) -> the number format of that column in the rows ("@" keeps an
    # 18-digit NIP as text, "0.0%" shows a share as a percentage).
    column_formats: Mapping[int, str] = field(default_factory=dict)
    freeze: str | None = None       # the first cell that scrolls ("C4"): the rest stays in view
