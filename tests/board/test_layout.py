"""The row-packing grid."""

from __future__ import annotations

from dashgen.board.layout import GridPos, layout_rows, pack


def test_pack_fills_a_line_then_wraps_below_its_tallest_box() -> None:
    positions, bottom = pack([(6, 4), (6, 8), (12, 4), (8, 3)], top=1)
    assert positions == [GridPos(0, 1, 6, 4), GridPos(6, 1, 6, 8), GridPos(12, 1, 12, 4), GridPos(0, 9, 8, 3)]
    assert bottom == 12


def test_a_full_width_box_takes_its_own_line() -> None:
    positions, bottom = pack([(12, 2), (24, 5), (12, 2)], top=0)
    assert [(p.x, p.y) for p in positions] == [(0, 0), (0, 2), (0, 7)]
    assert bottom == 9


def test_expanded_rows_stack_below_their_panels_and_collapsed_rows_take_one_unit() -> None:
    layouts = layout_rows([([(24, 4)], False), ([(12, 8), (12, 8)], True), ([(24, 2)], False)])
    assert [lay.row.y for lay in layouts] == [0, 5, 6]
    assert [p.y for p in layouts[1].panels] == [6, 6]  # stored as they sit once the row is expanded
    assert layouts[2].panels == [GridPos(0, 7, 24, 2)]


def test_empty_section_is_just_its_row() -> None:
    layouts = layout_rows([([], False), ([(24, 1)], False)])
    assert [lay.row.y for lay in layouts] == [0, 1]
