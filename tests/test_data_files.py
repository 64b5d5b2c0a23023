"""warehouse/data_files.data_lines, the one reader of the shipped word lists and lexicons: a file saved
by a Windows editor (a byte-order mark, CRLF line ends) reads as the same lines, and an indented
comment of a .tsv is a comment."""

from __future__ import annotations

import sys

import pytest

from warehouse.data_files import data_lines

TXT = "# كلمات الربط\nفي من\nعلى  # حرف جر\n\n"
TSV = "# agency\tnames\nرويترز\tReuters\n\t# a note, indented\nفرانس برس\tAFP\n"


@pytest.fixture
def package(tmp_path, monkeypatch):
    def make(name: str, files: dict[str, bytes]) -> str:
        (tmp_path / name / "data").mkdir(parents=True)
        (tmp_path / name / "__init__.py").write_text("")
        for fname, raw in files.items():
            (tmp_path / name / "data" / fname).write_bytes(raw)
        return name
    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for mod in [m for m in sys.modules if m.startswith("rev23_data_")]:
        del sys.modules[mod]


@pytest.mark.parametrize("fname,text,want", [
    ("words.txt", TXT, ("في من", "على  ")),
    ("lexicon.tsv", TSV, ("رويترز\tReuters", "فرانس برس\tAFP")),
], ids=["txt", "tsv"])
def test_a_windows_saved_file_reads_as_the_same_lines(package, fname, text, want):
    plain = package(f"rev23_data_plain_{fname[-3:]}", {fname: text.encode()})
    windows = package(f"rev23_data_win_{fname[-3:]}",
                      {fname: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()})
    assert data_lines(plain, fname) == want
    assert data_lines(windows, fname) == want


def test_a_bom_does_not_glue_onto_the_first_word(package):
    name = package("rev23_data_first", {"stop.txt": "\ufeffفي\nمن\n".encode()})
    assert data_lines(name, "stop.txt") == ("في", "من")


def test_shipped_files_have_no_bom():
    from importlib import resources
    for pkg in ("warehouse", "tasks"):
        for f in resources.files(pkg).joinpath("data").iterdir():
            if f.name.endswith((".txt", ".tsv")):
                assert not f.read_bytes().startswith(b"\xef\xbb\xbf"), f.name
