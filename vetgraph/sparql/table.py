"""The ``table`` format: solutions as aligned columns for people, fitted to a width.

Columns are sized from the first :data:`TABLE_WIDTH_ROWS` rows; the rest stream through, so
a million-row answer prints in constant memory. Given a width (a terminal's), the columns
share it: narrow columns keep their size, wide ones are cut with ``…`` and every row, those
past the sized ones too, fits. Without a width (a pipe, a file) every cell is printed whole,
and a value wider than its column pushes its row right.

>>> import io; out = io.BytesIO()
>>> rows = [{"s": "vg:a", "note": "a rather long note about a"}, {"s": "vg:b", "note": "b"}]
>>> write_table(["s", "note"], iter(rows), out, width=20, cell=str)
>>> print(out.getvalue().decode())
s     note
----  --------------
vg:a  a rather long…
vg:b  b
(2 rows; long values cut to 20 columns: --width 0 shows them whole)
<BLANKLINE>
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

#: How many rows size the columns; the rest stream through.
TABLE_WIDTH_ROWS = 1000
#: Columns are cut no narrower than this (or their own width, if less): below it the table
#: is wider than the width asked for, rather than unreadable.
MIN_COLUMN = 6
_GAP = "  "
_CONTROL = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def write_table(
    variables: Sequence[str],
    rows: Iterator[Any],
    out: IO[bytes],
    *,
    width: int | None,
    cell: Callable[[Any], str],
) -> None:
    """Write rows (``row[variable]`` → a term, ``cell(term)`` → its text) as a table.

    ``width``: the number of columns to fit in, or None to print every cell whole.
    """

    def cells(row: Any) -> list[str]:
        return [cell(row[v]).translate(_CONTROL) for v in variables]

    first = [cells(row) for row in itertools.islice(rows, TABLE_WIDTH_ROWS)]
    natural = [max([len(v), *(len(r[i]) for r in first)]) for i, v in enumerate(variables)]
    widths = natural if width is None else fit(natural, width)
    cut = False

    def line(values: Sequence[str]) -> bytes:
        nonlocal cut
        shown = []
        for value, w in zip(values, widths, strict=True):
            if width is not None and len(value) > w:
                value, cut = value[: max(w - 1, 0)] + "…", True
            shown.append(value.ljust(w))
        return (_GAP.join(shown).rstrip() + "\n").encode()

    out.write(line(variables))
    out.write(line(["-" * w for w in widths]))
    count = 0
    for r in itertools.chain(first, (cells(row) for row in rows)):
        out.write(line(r))
        count += 1
    note = f"; long values cut to {width} columns: --width 0 shows them whole" if cut else ""
    out.write(f"({count} row{'' if count == 1 else 's'}{note})\n".encode())


def fit(natural: Sequence[int], width: int) -> list[int]:
    """Column widths that fit ``width`` with their gaps: the narrowest columns keep their own
    width, the others share what is left equally (never below :data:`MIN_COLUMN`).

    >>> fit([2, 40, 60], 40)
    [2, 17, 17]
    >>> fit([2, 10, 60], 40)
    [2, 10, 24]
    >>> fit([3, 4], 80)
    [3, 4]
    """
    budget = width - len(_GAP) * (len(natural) - 1)
    if sum(natural) <= budget:
        return list(natural)
    widths = list(natural)
    open_columns = sorted(range(len(natural)), key=lambda i: natural[i])
    while open_columns:
        share = budget // len(open_columns)
        narrowest = open_columns[0]
        if natural[narrowest] > share:
            break
        budget -= natural[narrowest]
        open_columns.pop(0)
    if open_columns:
        share, extra = divmod(max(budget, 0), len(open_columns))
        for rank, i in enumerate(sorted(open_columns)):
            widths[i] = max(share + (1 if rank < extra else 0), min(natural[i], MIN_COLUMN))
    return widths
