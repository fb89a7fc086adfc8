"""What crosses from a bounded reader child: typed columns, dates and times too, out of band."""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor import untrusted


class Recorder:
    """A connection end that keeps what is sent."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send_bytes(self, data: object) -> None:
        self.sent.append(bytes(memoryview(data)))  # type: ignore[arg-type]


def dated(rows: int) -> pd.DataFrame:
    times = np.arange(rows, dtype="int64").astype("datetime64[us]")
    frame = pd.DataFrame({"checked": times, "waited": times - times[0]}, index=pd.RangeIndex(2, rows + 2))
    frame.loc[3, "checked"] = pd.NaT
    return frame


def test_a_frame_of_dates_crosses_out_of_band_and_comes_back_the_same() -> None:
    frame = dated(1_000_000)
    wire = Recorder()
    size = untrusted._send(wire, ("ok", frame), 1 << 30)  # type: ignore[arg-type]
    count = int.from_bytes(wire.sent[0], "little")
    pickled, buffers = wire.sent[1], wire.sent[2:]
    # two columns of 8 bytes a row out of band (and a few small ones), the pickle itself a few KB
    assert count == len(buffers) and sorted(len(b) for b in buffers)[-2:] == [8_000_000, 8_000_000]
    assert len(pickled) < 10_000 and size == len(pickled) + sum(len(b) for b in buffers)
    import pickle

    kind, back = pickle.loads(pickled, buffers=buffers)
    assert kind == "ok"
    pd.testing.assert_frame_equal(back, frame)
    assert back["checked"].isna().sum() == 1 and back.at[4, "checked"] == pd.Timestamp(2, unit="us")


def test_dates_read_in_a_bounded_child_arrive_as_they_were() -> None:
    back = untrusted.run(dated, 1000, what="dates")
    pd.testing.assert_frame_equal(back, dated(1000))
