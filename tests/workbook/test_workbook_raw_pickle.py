"""A read sheet crosses out of the bounded reader child as its Arrow arrays, out of band
(auditor.untrusted's pickler): the same frame arrives (cells, dtypes, Excel row numbers, column
names), and its text is not copied into the pickle (pandas' own pickling copies every column whole
first)."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pyarrow as pa

from auditor.untrusted import pickled
from auditor.workbook.read import RawSheet


def crossed(sheet: RawSheet) -> tuple[RawSheet, int, int]:
    """The sheet after the round trip auditor.untrusted makes (pickle and buffers received as bytes):
    (sheet, pickle bytes, bytes out of band)."""
    data, buffers = pickled(sheet)
    back = pickle.loads(data, buffers=[bytes(b) for b in buffers])
    return back, len(data), sum(b.nbytes for b in buffers)


def text_frame(rows: int) -> pd.DataFrame:
    cells = [f"2026-01-{1 + i % 28:02d} 10:{i % 60:02d}" if i % 7 else None for i in range(rows)]
    frame = pa.table({"arrival": cells, "housing_unit": ["A-1"] * rows}).to_pandas()
    frame.index = pd.RangeIndex(2, 2 + rows)
    return frame


def test_a_text_sheet_arrives_the_same_with_its_cells_out_of_band() -> None:
    frame = text_frame(50_000)
    frame = frame[np.arange(len(frame)) % 5 != 3]  # rows dropped: an index that is not a range
    sheet = RawSheet("Intake", "intake", frame, {"arrival": "B", "housing_unit": "E"}, header_row=1)
    back, pickled, out_of_band = crossed(sheet)
    pd.testing.assert_frame_equal(back.frame, frame, check_exact=True)
    assert back.frame.columns.equals(frame.columns) and back.frame.index.equals(frame.index)
    assert (back.name, back.source, back.letters, back.header_row) == ("Intake", "intake", sheet.letters, 1)
    assert list(back.frame.dtypes) == list(frame.dtypes) == [pd.StringDtype("pyarrow", na_value=np.nan)] * 2
    assert pickled < 20_000 < 800_000 < out_of_band  # 40,000 rows of text: out of band, not in the pickle


def test_other_frames_cross_as_pandas_pickles_them() -> None:
    for frame in (
        pd.DataFrame(index=range(3)),  # no column (a lean read's dropped text)
        pd.DataFrame({"x": ["a", None]}, dtype=object),
        pd.DataFrame({"x": pd.array(["a", None], dtype="string")}),  # pd.NA's strings, not Arrow's
        pd.DataFrame({"n": [1.5, 2.0]}),
    ):
        back, _, _ = crossed(RawSheet("Notes", "notes", frame, {}, header_row=3))
        pd.testing.assert_frame_equal(back.frame, frame, check_exact=True)
        assert back.header_row == 3


def test_the_text_is_not_copied_on_the_way_out() -> None:
    frame = text_frame(1_000)
    data, buffers = pickled(RawSheet("Intake", "intake", frame, {}))
    back = pickle.loads(data, buffers=buffers)  # the sender's own memory, as handed

    def cells_at(table: pd.DataFrame) -> int:
        return table["arrival"].array._pa_array.chunks[0].buffers()[2].address

    assert cells_at(back.frame) == cells_at(frame)  # pandas' pickling would have sent a copy


def test_the_file_bytes_cross_out_of_band_and_arrive_as_bytes() -> None:
    from pathlib import Path

    from auditor.workbook.read import RawWorkbook

    data = bytes(range(256)) * 4_000  # a file's bytes, 1 MB
    book = RawWorkbook(Path("i.xlsx"), "xlsx", {}, None, sha256="ab", inputs=[("i.xlsx", "ab")], data=data)
    buffers: list[pickle.PickleBuffer] = []
    pickled = pickle.dumps(book, protocol=5, buffer_callback=buffers.append)
    assert len(pickled) < 2_000 and [b.raw().nbytes for b in buffers] == [len(data)]
    for handed in ([bytes(b.raw()) for b in buffers], [b.raw() for b in buffers]):  # as untrusted, or views
        back = pickle.loads(pickled, buffers=handed)
        assert type(back.data) is bytes and back.data == data
        assert (back.path, back.sha256, back.inputs, back.sheets) == (book.path, "ab", book.inputs, {})
    assert pickle.loads(pickle.dumps(book, protocol=4)).data == data  # in band, as before
