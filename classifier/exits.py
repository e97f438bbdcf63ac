"""Exit codes that scripts can trust, and what the terminal sees when something goes wrong.

0 every row (or the one request) was classified; 1 some batch rows carry errors (in the ``error`` column);
2 bad usage or input the user must fix (the message says what); 3 the tool cannot run: damaged or missing
data and model files (the message names the command that rebuilds them) or an internal failure (one line
naming the log file that holds the traceback; a traceback never reaches the terminal).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

from classifier.inputs import terminal_safe

OK, ROW_ERRORS, USAGE, FAILURE = 0, 1, 2, 3
LOG_DIR_ENV = "ECCN_LOG_DIR"
# characters a terminal may act on that json.dumps(ensure_ascii=False) leaves raw: C1 controls, bidi and
# zero-width marks; written as \\uXXXX escapes they mean the same to a JSON reader
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def log_dir() -> Path:
    return Path(os.environ.get(LOG_DIR_ENV) or Path(tempfile.gettempdir()) / "eccn-classifier-logs")


def new_log_path() -> Path:
    return log_dir() / f"eccn-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"


class _TerminalFormatter(logging.Formatter):
    """One line per message; a traceback is replaced by the name of the log file that holds it."""

    def __init__(self, log_path: Path) -> None:
        super().__init__("%(levelname)s: %(message)s")
        self.log_path = log_path

    def format(self, record: logging.LogRecord) -> str:
        line = terminal_safe(record.getMessage())
        if record.exc_info:
            line += f" (details in {self.log_path})"
        return f"{record.levelname}: {line}"


def configure_logging() -> None:
    """Warnings to the terminal as single lines; anything logged with a traceback also to a log file, which
    is created only when such a record arrives."""
    path = new_log_path()
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setFormatter(_TerminalFormatter(path))
    terminal.setLevel(logging.WARNING)
    to_file = _LazyFileHandler(path)
    to_file.setLevel(logging.ERROR)
    root = logging.getLogger()
    root.setLevel(logging.WARNING)
    root.handlers = [terminal, to_file]


class _LazyFileHandler(logging.FileHandler):
    def __init__(self, path: Path) -> None:
        super().__init__(path, delay=True, encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        super().emit(record)


def write_failure_log(argv: list[str]) -> Path:
    """Write the current exception's traceback with the command line to a new log file; return its path."""
    path = new_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", errors="replace") as fh:  # the logging handler may have written first
        fh.write(f"command: {' '.join(repr(a) for a in argv)}\n{traceback.format_exc()}")
    return path


def say(message: str) -> None:
    """One line for the person at the terminal, on stderr, without escape sequences."""
    print(terminal_safe(message), file=sys.stderr)


def json_for_terminal(text: str) -> str:
    """JSON text whose raw control and invisible characters are written as \\u escapes (same data)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def undecodable_argument(argv: list[str]) -> str | None:
    """The first argument that held bytes that are not UTF-8 (Python keeps them as lone surrogates), if any."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "backslashreplace").decode("ascii", "replace")
    return None
