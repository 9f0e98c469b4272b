"""Small numbers suppression for counts of people, such as equality monitoring aggregates.

A count from 1 to `threshold - 1` could point at someone, so it is shown as "fewer than 5" (primary
suppression). Totals are shown, so a single hidden cell in a row or column could be worked out by
subtraction; wherever a row or column would have exactly one hidden cell, the next smallest cell
in it is hidden too (secondary suppression), and this is repeated until no row or column has
exactly one. Secondary cells are at least the threshold, so they read "not shown" rather than
"fewer than 5".

Zeros are shown, as they point at nobody, except in a row or column whose own total is from 1 to
`threshold - 1`. There a 0 beside a hidden count would say that everyone counted in it gave the
other answers, so every cell of that line is "fewer than 5", which is true of 0 too.

Totals are treated as cells of a margin line (the row of column totals, the column of row totals),
so a small total is suppressed and protected in the same way.
"""

from collections.abc import Mapping

TOTAL = "Total"
NOT_SHOWN = "not shown"


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


def one_count(count: int, *, threshold: int) -> str:
    """A count shown on its own, with no table for it to be worked out from."""
    return fewer_than(threshold) if 0 < count < threshold else str(count)


def suppress(
    table: Mapping[str, int] | Mapping[str, Mapping[str, int]], *, threshold: int
) -> dict[str, str] | dict[str, dict[str, str]]:
    """Display values for a table of counts, with totals.

    `table` is either {category: count}, giving back {category: display, ..., TOTAL: display},
    or {row: {column: count}}, giving back {row: {column: display, ..., TOTAL: display}, ...,
    TOTAL: {column: display, ..., TOTAL: display}}. A column missing from a row counts 0.
    Pass the threshold from `settings.SUPPRESSION_THRESHOLD`.
    """
    if threshold < 2:
        raise ValueError("The suppression threshold must be at least 2.")
    one_dimensional = all(not isinstance(value, Mapping) for value in table.values())
    rows = {"": table} if one_dimensional else table

    row_labels = list(rows)
    column_labels: list[str] = []
    for row in rows.values():
        column_labels.extend(label for label in row if label not in column_labels)
    if TOTAL in row_labels or TOTAL in column_labels:
        raise ValueError(f"{TOTAL!r} is kept for the totals; rename that category.")
    for row in rows.values():
        for count in row.values():
            if not isinstance(count, int) or count < 0:
                raise ValueError("Counts must be whole numbers, 0 or more.")

    # The grid with its margins: the last column holds row totals, the last row column totals.
    height, width = len(row_labels), len(column_labels)
    grid = [[rows[r].get(c, 0) for c in column_labels] for r in row_labels]
    for line in grid:
        line.append(sum(line))
    grid.append([sum(grid[i][j] for i in range(height)) for j in range(width + 1)])

    def small(count: int) -> bool:
        return 0 < count < threshold

    primary = {
        (i, j)
        for i in range(height + 1)
        for j in range(width + 1)
        if small(grid[i][j]) or small(grid[i][width]) or small(grid[height][j])
    }
    hidden = set(primary)

    # Every line is a set of cells that adds up to the line's total cell.
    lines = [([(i, j) for j in range(width)], (i, width)) for i in range(height + 1)]
    lines += [([(i, j) for i in range(height)], (height, j)) for j in range(width + 1)]

    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            if total in hidden:
                continue
            hidden_cells = [cell for cell in cells if cell in hidden]
            if len(hidden_cells) != 1:
                continue
            candidates = [cell for cell in cells if cell not in hidden and grid[cell[0]][cell[1]]]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: (grid[cell[0]][cell[1]], cell)))
            else:
                # The one hidden cell equals the total; hiding the total passes the problem to
                # the margin line, where it is solved in the same way.
                hidden.add(total)
            changed = True

    def display(i: int, j: int) -> str:
        if (i, j) in primary:
            return fewer_than(threshold)
        if (i, j) in hidden:
            return NOT_SHOWN
        return str(grid[i][j])

    labels_out = [*column_labels, TOTAL]
    result = {
        label: {labels_out[j]: display(i, j) for j in range(width + 1)}
        for i, label in enumerate([*row_labels, TOTAL])
    }
    if one_dimensional:
        return result[""]
    return result
