"""The loaders' ``attrs`` values are shared, not copied, by the frames derived from a table."""

from __future__ import annotations

import copy
import pickle

import pandas as pd
import pytest

from cchc_lib.core.frame_meta import SharedMap, SharedSet


def test_derived_frames_share_the_header_map_instead_of_copying_it():
    df = pd.DataFrame({"status": ["done", "overdue"], "area_id": ["A", "B"]})
    df.attrs = {"file": "tien-do.csv", "header_map": SharedMap({"status": "Tình trạng"}), "reported": SharedSet()}
    column, rows = df["status"], df[df["area_id"] == "B"]
    for derived in (column, rows):
        assert derived.attrs["header_map"] is df.attrs["header_map"]
        assert derived.attrs["reported"] is df.attrs["reported"]
    assert rows.attrs["header_map"]["status"] == "Tình trạng"


def test_shared_map_is_read_only_and_survives_pickle_and_copy():
    m = SharedMap({"status": "Tình trạng"})
    for change in (lambda: m.__setitem__("x", "y"), lambda: m.update(x="y"), lambda: m.pop("status")):
        with pytest.raises(TypeError):
            change()
    assert m == {"status": "Tình trạng"}
    for other in (pickle.loads(pickle.dumps(m)), copy.copy(m)):
        assert type(other) is SharedMap and other == m
    s = SharedSet({(3, "status")})
    assert pickle.loads(pickle.dumps(s)) == s and copy.deepcopy(s) is s
