"""CSV and Parquet downloads of a dashboard table (bytes for `st.download_button`)."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

CSV_MIME = "text/csv"
PARQUET_MIME = "application/vnd.apache.parquet"

# A cell a spreadsheet would run as a formula (a title or comment a teacher typed can start
# with "=HYPERLINK(...)"): such text gets a leading apostrophe, which spreadsheets show as text.
FORMULA_START = r"^[=+\-@\t\r]"


def _neutralised_text(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    formula = pc.fill_null(pc.match_substring_regex(values, FORMULA_START), False)
    return pc.if_else(formula, pc.binary_join_element_wise("'", values, ""), values)


def _neutralised_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return _neutralised_text(column)
    if (pa.types.is_list(column.type) or pa.types.is_large_list(column.type)) and (
        pa.types.is_string(column.type.value_type)
    ):
        chunks = [
            type(chunk).from_arrays(
                chunk.offsets, _neutralised_text(chunk.values), mask=chunk.is_null()
            )
            for chunk in column.chunks
        ]
        return pa.chunked_array(chunks, type=column.type)
    return column


def _neutralised(table: pa.Table) -> pa.Table:
    """Every text cell that could start a spreadsheet formula made plain text."""
    return pa.table(
        [_neutralised_column(column) for column in table.columns], names=table.column_names
    )


def _flat(table: pa.Table) -> pa.Table:
    """List columns (e.g. example messages) joined with " | ", which CSV can hold."""
    columns = []
    for column in table.columns:
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            column = pc.binary_join(column, " | ")
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def to_csv(table: pa.Table) -> bytes:
    """The table as UTF-8 CSV with a header row."""
    sink = io.BytesIO()
    pacsv.write_csv(_neutralised(_flat(table)), sink)
    return sink.getvalue()


def to_parquet(table: pa.Table) -> bytes:
    """The table as a Parquet file (types kept, lists included)."""
    sink = io.BytesIO()
    pq.write_table(_neutralised(table), sink)
    return sink.getvalue()


def download_name(table_name: str, extension: str, start: object = None, end: object = None) -> str:
    """A file name such as `chalk-jobs_per_day-2026-11-01_2026-11-30.csv`."""
    span = ""
    if start is not None or end is not None:
        span = f"-{start or 'start'}_{end or 'now'}"
    return f"chalk-{table_name}{span}.{extension.lstrip('.')}"
