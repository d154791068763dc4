import subprocess
import sys

from app.main import build_parser, main
from engine.version import __version__


def test_version_flag_prints_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert out.strip() == f"AlignScope {__version__}"


def test_cli_does_not_import_qt_or_torch_for_headless_help():
    code = (
        "import sys; from app.main import build_parser; build_parser();"
        "bad=[m for m in ('PySide6','torch','pyqtgraph') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_parser_builds():
    parser = build_parser()
    assert parser.prog == "alignscope"
