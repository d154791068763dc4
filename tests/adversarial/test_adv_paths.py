"""Issue 17, failures 1, 12 (cells and file names), 15 (oversize and special files), 16:
nothing outside the dataset folder is read without the opt-in, bad cells are quarantined per
row, and the terminal never receives raw control characters."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from advkit import cli, needs_models, refused, write_png

from engine.dataset import load_dataset
from engine.store import Store, write_dataset

SECRET = "root:x:0:0:SECRET-PASSWORD-LINE"


def _manifest(folder: Path, rows: list[list[str]], header: tuple[str, ...] = ("id", "image", "report"),
              name: str = "manifest.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    write_png(folder / "o.png", (1, 2, 3))
    return folder


def test_1_symlinks_leaving_the_dataset_are_quarantined_per_row(tmp_path: Path, outside: Path) -> None:
    d = tmp_path / "d"
    for name in ("a.png", "b.png", "c.png", "sub/e.png"):
        write_png(d / name, (len(name) * 20, 50, 90))
    (d / "reports").mkdir()
    (d / "reports" / "r.txt").symlink_to(outside / "secret.txt")
    (d / "link.png").symlink_to(outside / "o.png")
    (d / "env.txt").symlink_to("/proc/self/environ")
    (d / "inner.png").symlink_to(d / "sub" / "e.png")  # a link that stays inside is fine
    _manifest(d, [["A", "a.png", "reports/r.txt"], ["B", "link.png", "plain text"],
                  ["C", "b.png", "env.txt"], ["D", "c.png", "fine text"],
                  ["E", "inner.png", "also fine"]])
    ds = load_dataset(d)
    assert [s.id for s in ds.samples] == ["D", "E"]
    reasons = {q.id: q.reason for q in ds.quarantine}
    assert "symbolic link to" in reasons["A"] and "secret.txt, outside the dataset folder" in reasons["A"]
    assert f"--allow-outside {outside}" in reasons["A"]
    assert "link.png' is a symbolic link to" in reasons["B"]
    assert "/proc/" in reasons["C"] and "refused" in reasons["C"]
    assert all(SECRET not in s.report for s in ds.samples)
    # the opt-in reads exactly the allowed place, and says so; /proc stays refused
    allowed = load_dataset(d, allow_outside=[outside])
    assert [s.id for s in allowed.samples] == ["A", "B", "D", "E"]
    assert allowed.samples[0].report == SECRET
    assert [q.id for q in allowed.quarantine] == ["C"]
    assert any("outside the dataset folder" in n and str(outside) in n for n in allowed.notes)


def test_1_sidecar_folder_links_are_refused_and_a_link_to_root_is_not_walked(
        tmp_path: Path, outside: Path) -> None:
    d = tmp_path / "folder"
    write_png(d / "ok" / "p1.png")
    (d / "ok" / "p1.txt").write_text("scratch near the edge", encoding="utf-8")
    write_png(d / "ok" / "p2.png", (9, 9, 9))
    (d / "ok" / "p2.txt").symlink_to(outside / "secret.txt")
    (d / "ng").mkdir()
    (d / "ng" / "everything").symlink_to("/")  # rglob would walk the whole disk
    ds = load_dataset(d)
    assert [s.id for s in ds.samples] == ["p1"]  # file names are unique: they are the ids
    assert ds.quarantine[0].id == "p2" and "outside the dataset folder" in ds.quarantine[0].reason


@needs_models
def test_1_cli_embed_keeps_the_secret_out_of_the_store(tmp_path: Path, outside: Path) -> None:
    d = tmp_path / "d"
    write_png(d / "a.png", (200, 10, 10))
    write_png(d / "b.png", (10, 200, 10))
    write_png(d / "c.png", (10, 10, 200))
    (d / "r.txt").symlink_to(outside / "secret.txt")
    _manifest(d, [["A", "a.png", "r.txt"], ["B", "b.png", "a good report"],
                  ["C", "c.png", "another good report"]])
    store = tmp_path / "p.h5"
    proc = cli("embed", d, "--store", store)
    assert proc.returncode == 0, proc.stderr
    assert "3 rows, 2 good, 1 quarantined" in proc.stdout
    info = cli("info", store)
    assert "quarantined row 2 (A, a.png)" in info.stdout and "outside the dataset folder" in info.stdout
    assert SECRET.encode() not in store.read_bytes()


def test_12_nul_long_and_undecodable_names_are_quarantined_per_row(tmp_path: Path) -> None:
    d = tmp_path / "d"
    for name in ("a.png", "b.png", "c.png"):
        write_png(d / name)
    long_name = "x" * 300 + ".png"
    _manifest(d, [["A", "a.png", "good\x00text"], ["B", "b.png", "fine"],
                  ["C", long_name, "long name"], ["D\x00", "c.png", "nul in id"]])
    ds = load_dataset(d)
    assert [s.id for s in ds.samples] == ["B"]
    reasons = {q.row: q.reason for q in ds.quarantine}
    assert "report text holds control character U+0000 (NUL)" in reasons[2]
    assert "File name too long" in reasons[4]
    assert "id holds control character U+0000 (NUL)" in reasons[5]
    # the quarantine is storable (h5py refuses NUL in strings) and shows the NUL as an escape
    store = tmp_path / "p.h5"
    write_dataset(store, ds)
    with Store.open(store) as st:
        assert [q["id"] for q in st.quarantine()][-1] == "D\\x00"


def test_12_non_utf8_file_name_in_a_folder_dataset(tmp_path: Path) -> None:
    d = tmp_path / "folder"
    write_png(d / "good.png")
    (d / "good.txt").write_text("fine", encoding="utf-8")
    bad = os.fsencode(d) + b"/caf\xe9.png"
    write_png(Path(os.fsdecode(bad)))
    Path(os.fsdecode(bad[:-4] + b".txt")).write_text("text", encoding="utf-8")
    ds = load_dataset(d)
    assert [s.id for s in ds.samples] == ["good"]
    assert "not valid UTF-8 (byte 0xE9" in ds.quarantine[0].reason and "rename" in ds.quarantine[0].reason
    write_dataset(tmp_path / "p.h5", ds)  # stores without an encoding error


def test_15_oversize_and_special_files_are_refused_before_reading(tmp_path: Path) -> None:
    d = tmp_path / "d"
    write_png(d / "ok.png")
    with open(d / "huge.jpg", "wb") as fh:  # 3 GB, sparse: reading it would take 3 GB
        fh.truncate(3 << 30)
    os.mkfifo(d / "pipe.png")  # reading a pipe would block forever
    (d / "zero.png").symlink_to("/dev/zero")
    big_report = d / "big.txt"
    with open(big_report, "wb") as fh:
        fh.truncate(64 << 20)
    _manifest(d, [["A", "huge.jpg", "x"], ["B", "pipe.png", "x"], ["C", "ok.png", "x"],
                  ["D", "ok.png", "big.txt"]])
    (d / "manifest.csv").write_text("id,image,report\nA,huge.jpg,x\nB,pipe.png,x\nC,ok.png,x\n"
                                    "D,ok.png,big.txt\n", encoding="utf-8")
    ds = load_dataset(d, allow_outside=["/dev"])
    assert [s.id for s in ds.samples] == ["C"]
    reasons = {q.id: q.reason for q in ds.quarantine}
    assert "3.0 GB, above the 512.0 MB limit" in reasons["A"]
    assert "named pipe" in reasons["B"]
    assert "above the 4.0 MB limit for a report file" in reasons["D"]
    device = _manifest(tmp_path / "e", [["Z", "/dev/zero", "x"]])
    dev = load_dataset(device, allow_outside=["/dev"])
    assert "device file" in dev.quarantine[0].reason


@needs_models
def test_15_encode_refuses_a_device_as_text_list(tmp_path: Path) -> None:
    err = refused(cli("encode", "--model", "paraphrase-minilm-l3", "--texts", "/dev/zero",
                      "--out", tmp_path / "x.npy", timeout=120), "/dev/zero", "device file")
    assert "MemoryError" not in err


def test_16_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    d = tmp_path / "d"
    write_png(d / "a.png")
    write_png(d / "b.png", (5, 5, 5))
    _manifest(d, [["\x1b[2J\x1b]0;owned\x07A", "a.png", "ok"], ["B", "b.png", "ok \x1b[31mred"]],
              header=("id", "image", "report"))
    ds = load_dataset(d)
    assert not ds.samples and len(ds.quarantine) == 2
    store = tmp_path / "p.h5"
    write_dataset(store, ds)
    proc = cli("info", store)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "\\x1b[2J" in proc.stdout and "control character U+001B (ESC)" in proc.stdout


def test_12_info_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """`alignscope info | head`: more output than a pipe holds, and a reader that leaves."""
    import subprocess
    import sys

    from advkit import ROOT, cli_env

    d = tmp_path / "d"
    _manifest(d, [[f"S{i}", f"missing_{i}.png", "report"] for i in range(3000)])
    store = tmp_path / "p.h5"
    write_dataset(store, load_dataset(d))
    pipe = subprocess.run(f"'{sys.executable}' -m app info '{store}' | head -c 10",
                          shell=True, capture_output=True, text=True, env=cli_env(), cwd=ROOT,
                          timeout=120)
    assert pipe.stdout == "store: " + str(store)[:3]
    assert "Traceback" not in pipe.stderr and "BrokenPipe" not in pipe.stderr, pipe.stderr
