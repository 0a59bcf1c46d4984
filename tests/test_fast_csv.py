"""The Arrow fast path for clean CSV logs (core/fast_csv.py): the same typed table as the
general path for every clean spelling of a file, and for any problem the general path's
row-numbered message, because the fast path steps aside."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_lib import DataError, cli
from cchc_lib.core.fast_csv import typed_csv
from cchc_lib.progress import loader

HEADER = [
    "Mã hồ sơ",
    "Lĩnh vực",
    "Tên thủ tục",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Hình thức nộp",
    "Số hóa hồ sơ",
    "Số hóa kết quả",
    "Đánh giá",
]
ROWS = [
    [
        "HS-1",
        "Hộ tịch",
        "Đăng ký khai sinh",
        "01/04/2024",
        "04/04/2024",
        "03/04/2024",
        "Trực tuyến",
        "Có",
        "Có",
        "Hài lòng",
    ],
    ["HS-2", " đất đai ", "Đăng ký biến động, sang tên", "2024-04-02", "", "", "trực tiếp", "x", "", ""],
    ["HS-3", "Chứng thực", "", "03-04-2024", "03.04.2024", "03/04/2024", "Bưu chính", "0", "không", "rất hài lòng"],
    [
        "HS-4",
        "Hộ tịch",
        "Đăng ký khai sinh",
        "15/03/2024 08:30",
        "18/03/2024",
        "",
        " Dịch vụ công trực tuyến",
        "",
        "1",
        "",
    ],
    [
        " HS-5 ",
        "Tư pháp",
        "Xác nhận tình trạng hôn nhân",
        "14/06/2024",
        "17/06/2024",
        "20/06/2024",
        "online",
        "yes",
        "no",
        "neutral",
    ],
    ["HS-6", "Hộ tịch", "Đăng ký khai sinh", "01/05/2024", "", "01/05/2024", "Trực tiếp", "Có", "Có", "Chưa hài lòng"],
]


def _csv(header=HEADER, rows=ROWS, sep=",", quote_all=False, bom=False, crlf=False, extra=None) -> bytes:
    def cell(v: str) -> str:
        return f'"{v}"' if quote_all or sep in v or "\n" in v or '"' in v else v

    lines = [sep.join(cell(h) for h in header)] + [sep.join(cell(v) for v in r) for r in rows]
    if extra is not None:
        lines = [line + sep + cell(x) for line, x in zip(lines, extra, strict=True)]
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def _general(kind, path, monkeypatch):
    """load_kind through the general path only (what every file got before the fast path)."""
    with monkeypatch.context() as m:
        m.setattr(loader, "typed_csv", lambda *a: None)
        return loader.load_kind(kind, path)


def _same(path, monkeypatch, kind="dossiers"):
    fast = loader.load_kind(kind, path)
    slow = _general(kind, path, monkeypatch)
    pd.testing.assert_frame_equal(fast[0], slow[0], check_exact=True)
    assert fast[0].attrs == slow[0].attrs
    assert fast[1:] == slow[1:]
    return fast[0]


def _problems(path, monkeypatch) -> tuple[list, list]:
    with pytest.raises(DataError) as fast:
        loader.load_kind("dossiers", path)
    with monkeypatch.context() as m:
        m.setattr(loader, "typed_csv", lambda *a: None)
        with pytest.raises(DataError) as slow:
            loader.load_kind("dossiers", path)
    return fast.value.issues, slow.value.issues


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"bom": True, "crlf": True},
        {"quote_all": True},
        {"sep": ";", "bom": True},
        {"sep": "\t", "crlf": True},
        {"extra": ["Ghi chú"] + [f"ghi chú {i}" if i % 2 else "" for i in range(len(ROWS))]},
    ],
    ids=["plain", "bom-crlf", "all-quoted", "semicolon", "tab", "extra-column"],
)
def test_a_clean_file_gives_the_general_paths_table_through_the_fast_path(tmp_path, monkeypatch, options):
    p = tmp_path / "ho-so.csv"
    p.write_bytes(_csv(**options))
    assert typed_csv(p, loader.SPECS["dossiers"]) is not None  # the fast path took it
    df = _same(p, monkeypatch)
    assert list(df["channel"]) == ["online", "direct", "postal", "online", "online", "direct"]
    assert list(df["dossier_id"])[4] == "HS-5" and df["procedure"].isna().sum() == 1
    assert df["rating"].tolist()[:3] == ["satisfied", pd.NA, "satisfied"]
    assert df["dossier_digitized"].tolist() == [True, True, False, False, True, True]
    assert df.loc[3, "received_date"] == pd.Timestamp("2024-03-15")  # the time of day is dropped
    if "extra" in options:
        assert df.attrs["extra_columns"] == ["Ghi chú"]


def test_absent_optional_columns_and_another_column_order_match(tmp_path, monkeypatch):
    keep = [0, 6, 3, 1, 4, 5]  # no procedure, digitisation or rating columns
    p = tmp_path / "ho-so.csv"
    p.write_bytes(_csv([HEADER[i] for i in keep], [[r[i] for i in keep] for r in ROWS]))
    assert typed_csv(p, loader.SPECS["dossiers"]) is not None
    df = _same(p, monkeypatch)
    assert not df["dossier_digitized"].any() and df["rating"].isna().all()


def test_feedback_logs_take_the_fast_path_too(tmp_path, monkeypatch):
    p = tmp_path / "feedback.csv"
    p.write_text(
        "Mã phản ánh,Ngày tiếp nhận,Hạn xử lý,Ngày xử lý xong,Đánh giá,Nội dung tóm tắt\n"
        "PA-1,02/04/2024,12/04/2024,10/04/2024,Hài lòng,Đèn đường hỏng\n"
        'PA-2,05/04/2024,15/04/2024,,,"Rác thải, nước thải"\n',
        encoding="utf-8",
    )
    assert typed_csv(p, loader.SPECS["feedback"]) is not None
    _same(p, monkeypatch, "feedback")


@pytest.mark.parametrize(
    "case",
    ["blank-line", "empty-row", "quoted-newline", "dup-header", "no-rows"],
)
def test_files_the_fast_path_leaves_to_the_general_path_give_its_table(tmp_path, monkeypatch, case):
    rows = [list(r) for r in ROWS]
    header = list(HEADER)
    data = None
    if case == "blank-line":
        data = _csv(rows=rows[:3]) + b"\n" + _csv(rows=rows[3:]).split(b"\n", 1)[1]
    elif case == "empty-row":
        rows.insert(2, [""] * len(HEADER))
    elif case == "quoted-newline":
        rows[1][2] = "Đăng ký\nbiến động"
    elif case == "dup-header":
        header.append("Ghi chú")
        header.append("Ghi chú ")
        rows = [r + ["", ""] for r in rows]
    else:
        rows = []
    p = tmp_path / "ho-so.csv"
    p.write_bytes(data or _csv(header, rows))
    assert typed_csv(p, loader.SPECS["dossiers"]) is None
    if case == "dup-header":
        fast, slow = _problems(p, monkeypatch)
        assert fast == slow and "tiêu đề cột bị trùng: Ghi chú" in str(fast[0])
        return
    df = _same(p, monkeypatch)
    if case in ("blank-line", "empty-row"):  # skipped and counted, the rows after keep their numbers
        gap = 5 if case == "blank-line" else 4
        assert df["source_row"].tolist() == [r for r in range(2, len(ROWS) + 3) if r != gap]


def _bad(rows_edit) -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    rows_edit(rows)
    return rows


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda r: r[2].__setitem__(3, "31/04/2024"), "dòng 4, cột 'Ngày tiếp nhận': cần một ngày dạng dd/mm/yyyy"),
        (lambda r: r[1].__setitem__(6, "Zalo"), "dòng 3, cột 'Hình thức nộp': cần một trong các giá trị"),
        (lambda r: r[3].__setitem__(7, "có lẽ"), "dòng 5, cột 'Số hóa hồ sơ': cần true/false"),
        (lambda r: r[5].__setitem__(0, "HS-2"), "cột 'Mã hồ sơ': giá trị 'HS-2' bị trùng ở các dòng 3, 7"),
        (lambda r: r[4].__setitem__(1, " "), "dòng 6, cột 'Lĩnh vực': ô bắt buộc, không được để trống"),
        (lambda r: r[0].append("thừa"), "dòng 2: dòng có 11 ô nhưng dòng tiêu đề có 10 cột"),
    ],
    ids=["bad-date", "unknown-channel", "bad-yes-no", "duplicate-id", "empty-required", "row-too-long"],
)
def test_a_bad_file_gets_the_general_paths_row_numbered_messages(tmp_path, monkeypatch, edit, says):
    p = tmp_path / "ho-so.csv"
    p.write_bytes(_csv(rows=_bad(edit)))
    assert typed_csv(p, loader.SPECS["dossiers"]) is None
    fast, slow = _problems(p, monkeypatch)
    assert fast == slow
    assert any(says in str(i) for i in fast), [str(i) for i in fast]


def test_returned_before_received_is_found_after_the_fast_path(tmp_path, monkeypatch):
    p = tmp_path / "ho-so.csv"
    p.write_bytes(_csv(rows=_bad(lambda r: r[0].__setitem__(5, "30/03/2024"))))
    assert typed_csv(p, loader.SPECS["dossiers"]) is not None  # clean cells; the rule runs on the table
    fast, slow = _problems(p, monkeypatch)
    assert fast == slow
    assert "dòng 2, cột 'Ngày trả kết quả': ngày trả kết quả trước ngày tiếp nhận (01/04/2024)" in str(fast[0])


@pytest.mark.slow
def test_a_bad_dossier_log_ends_the_command_with_exit_2_and_its_row(tmp_path, capsys):
    (tmp_path / "ho-so.csv").write_bytes(_csv(rows=_bad(lambda r: r[2].__setitem__(3, "31/04/2024"))))
    assert cli.main(["assess", "--plan", "hai-duong-2024", "--period", "2024-Q2", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "ho-so.csv, dòng 4, cột 'Ngày tiếp nhận'" in err and "Traceback" not in err


# ---------------------------------------------------------------------------- repeated ids


def _ids(n: int, seed: int = 3) -> list[str]:
    """Distinct ids of many shapes: numbered, Vietnamese, one character, empty."""
    import numpy as np

    rng = np.random.default_rng(seed)
    shapes = [
        lambda i: f"HS-{i}",
        lambda i: f"000.00.12.H57-{i:07d}",
        lambda i: f"Hồ sơ số {i} ở xã",
        lambda i: f"{i}ư",
    ]
    ids = [shapes[k](i) for i, k in enumerate(rng.integers(0, len(shapes), n))]
    return ["", "7", "ư", *ids]


def _series(ids: list[str], chunks: int = 1, offset: int = 0, large: bool = False) -> pd.Series:
    import pyarrow as pa

    arr = pa.array(["pad"] * offset + ids, pa.large_string() if large else pa.string()).slice(offset)
    step = -(-len(ids) // chunks)
    chunked = pa.chunked_array([arr.slice(i, step) for i in range(0, len(ids), step)], arr.type)
    return pd.Series(pd.arrays.ArrowStringArray(chunked))


@pytest.mark.parametrize(
    "layout",
    [{}, {"chunks": 7}, {"offset": 5}, {"large": True, "chunks": 2}],
    ids=["one-chunk", "chunked", "sliced", "large-string"],
)
def test_repeated_ids_are_found_wherever_they_are_in_a_large_log(layout):
    from cchc_lib.core import fast_csv

    ids = _ids(fast_csv.GROUPED_FROM + 20_000)
    assert fast_csv._all_distinct(_series(ids, **layout))
    n = len(ids)
    # A repeat near, far, at the ends, of a one-character id, of the empty id, of a long one.
    for i, j in [(10, 11), (5, n - 1), (0, n // 2), (1, n - 3), (2, 70_000), (n - 2, 3000)]:
        repeated = list(ids)
        repeated[j] = repeated[i]
        assert not fast_csv._all_distinct(_series(repeated, **layout)), (i, j)


def test_ids_that_share_their_last_bytes_are_checked_in_one_table():
    from cchc_lib.core import fast_csv

    ids = [f"HS-{i}/2024" for i in range(fast_csv.GROUPED_FROM + 10)]
    assert fast_csv._all_distinct(_series(ids))
    ids[-1] = ids[0]
    assert not fast_csv._all_distinct(_series(ids))


def test_a_large_clean_log_with_one_repeated_id_leaves_the_fast_path(tmp_path):
    from cchc_lib.core import fast_csv

    n = fast_csv.GROUPED_FROM + 5
    rows = [
        [f"HS-{i}", "Hộ tịch", "Đăng ký khai sinh", "01/04/2024", "04/04/2024", "", "Trực tuyến", "Có", "", ""]
        for i in range(n)
    ]
    path = tmp_path / "ho-so.csv"
    path.write_bytes(_csv(rows=rows))
    assert typed_csv(path, loader.SPECS["dossiers"]) is not None
    rows[n - 1][0] = "HS-77"
    path.write_bytes(_csv(rows=rows))
    assert typed_csv(path, loader.SPECS["dossiers"]) is None  # the general path names both rows
