"""Downloads never hand a spreadsheet a formula that a teacher or visitor typed."""

from __future__ import annotations

import csv
import io

import pyarrow as pa
import pyarrow.parquet as pq

from app.analytics.export import to_csv, to_parquet

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def table() -> pa.Table:
    return pa.table(
        {
            "comment": [*FORMULAS, "a fine lesson", None],
            "views": list(range(len(FORMULAS) + 2)),
            "examples": [[text, "ok"] for text in FORMULAS] + [["fine"], None],
        }
    )


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe():
    rows = list(csv.DictReader(io.StringIO(to_csv(table()).decode())))
    for row, text in zip(rows, FORMULAS, strict=False):
        assert row["comment"] == "'" + text
        assert row["examples"] == f"'{text} | ok"
    assert rows[-2]["comment"] == "a fine lesson" and rows[-2]["examples"] == "fine"
    assert [row["views"] for row in rows] == [str(n) for n in range(len(FORMULAS) + 2)]


def test_parquet_text_and_lists_are_neutralised_and_types_kept():
    back = pq.read_table(io.BytesIO(to_parquet(table())))
    assert back.schema == table().schema
    rows = back.to_pylist()
    for row, text in zip(rows, FORMULAS, strict=False):
        assert row["comment"] == "'" + text
        assert row["examples"] == ["'" + text, "ok"]
    assert rows[-2] == {"comment": "a fine lesson", "views": len(FORMULAS), "examples": ["fine"]}
    assert rows[-1]["comment"] is None and rows[-1]["examples"] is None
