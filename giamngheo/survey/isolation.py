"""Open a survey file in a separate process with a hard memory limit, so that no file can take the process that
asked for it (the background worker, a web process, the command line) past a fixed budget or crash it.

The parent runs `python -m giamngheo.survey.isolation` with the request as JSON on standard input. The child sets
its own limits before it opens the file — address space (`RLIMIT_AS`, `read_memory_mb`), CPU time,
no core file — reads the table (`giamngheo.survey.table.read_table_here`) and writes it back pickled on standard
output. What can happen to the child becomes a `SurveyFileError` naming the file:

- it refuses the file (too many rows, a zip bomb, not UTF-8...): its own message;
- it runs out of memory: a `MemoryError` in Python, or calamine's allocator aborting (SIGABRT) or the kernel
  killing it (SIGKILL): "tệp quá lớn khi mở ra: vượt giới hạn bộ nhớ 512 MB";
- it takes longer than `read_timeout_s`, or dies of another signal: a message saying so.

A bug in the reader (an exception the child does not expect) is not the file's fault: it raises `RuntimeError`
with the child's traceback, which the job records for the administrator.

The child imports only the light modules of the survey package (not the engine: `giamngheo.survey.__init__` is
lazy), so a normal file costs the start of one Python process, about a tenth of a second. The answer is read with
an unpickler that builds nothing but the cell types (dates and times), so a child fooled by a crafted file still
cannot make the parent run code.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from giamngheo.lib.formatting import group_thousands
from giamngheo.survey.errors import SurveyFileError
from giamngheo.survey.limits import ReadLimits
from giamngheo.survey.table import Table, TableRow

EXIT_MEMORY = 75  # the child's exit code after a MemoryError
_MEMORY_SIGNALS = frozenset({signal.SIGABRT, signal.SIGKILL})
_ALLOWED_CLASSES = frozenset({("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
                              ("datetime", "timedelta")})  # fmt: skip
_STDERR_SHOWN = 4_000


def read_isolated(
    path: Path, *, known_columns: frozenset[str], require_rows: bool, limits: ReadLimits
) -> Table:
    request = {
        "path": str(path.resolve()),
        "known_columns": sorted(known_columns),
        "require_rows": require_rows,
        "limits": dataclasses.asdict(limits),
    }
    try:
        completed = subprocess.run(
            # -P: the working folder is not put first on the module path
            [sys.executable, "-P", "-m", "giamngheo.survey.isolation"],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=limits.read_timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SurveyFileError(_timeout_message(path, limits)) from None
    code = completed.returncode
    if code == 0:
        return _answer(completed.stdout)
    if code == EXIT_MEMORY or -code in _MEMORY_SIGNALS:
        raise SurveyFileError(
            f"tệp '{path.name}' quá lớn khi mở ra: vượt giới hạn bộ nhớ "
            f"{group_thousands(limits.read_memory_mb)} MB dành cho việc đọc tệp"
        )
    if code == -signal.SIGXCPU:
        raise SurveyFileError(_timeout_message(path, limits))
    if code < 0:
        raise SurveyFileError(
            f"tệp '{path.name}' làm trình đọc bảng tính dừng bất thường ({signal.Signals(-code).name}); "
            "tệp có thể bị hỏng, hãy mở và lưu lại bằng Excel rồi gửi lại"
        )
    stderr = completed.stderr.decode("utf-8", "replace")[-_STDERR_SHOWN:]
    raise RuntimeError(f"the survey reader process failed with exit code {code}:\n{stderr}")


def _timeout_message(path: Path, limits: ReadLimits) -> str:
    return (
        f"tệp '{path.name}': đọc tệp quá {group_thousands(limits.read_timeout_s)} giây nên đã dừng; "
        "tệp quá lớn hoặc bị hỏng"
    )


class _CellUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell type")


def _answer(payload: bytes) -> Table:
    answer = _CellUnpickler(io.BytesIO(payload)).load()
    if answer[0] == "error":
        raise SurveyFileError(answer[1])
    _, headers, rows, delimiter, sheet = answer
    return Table(
        headers=headers,
        rows=tuple(TableRow(number, cells, problem) for number, cells, problem in rows),
        delimiter=delimiter,
        sheet=sheet,
    )


# The child ----------------------------------------------------------------------------------------------------


def _limit_self(limits: ReadLimits) -> None:
    import resource

    budget = limits.read_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    resource.setrlimit(
        resource.RLIMIT_CORE, (0, 0)
    )  # an abort must not leave a core file of the budget's size
    cpu = limits.read_timeout_s + 5  # the parent's timeout stops it first; this stops an orphan
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _child() -> int:
    request = json.loads(sys.stdin.buffer.read())
    limits = ReadLimits(**request["limits"])
    _limit_self(limits)
    try:
        from giamngheo.survey.table import read_table_here

        table = read_table_here(
            Path(request["path"]),
            known_columns=frozenset(request["known_columns"]),
            require_rows=request["require_rows"],
            limits=limits,
        )
        answer: tuple[Any, ...] = (
            "table",
            table.headers,
            [(row.number, row.cells, row.problem) for row in table.rows],
            table.delimiter,
            table.sheet,
        )
        del table
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        del answer
    except SurveyFileError as exc:
        payload = pickle.dumps(("error", str(exc)))
    except MemoryError:
        return EXIT_MEMORY
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    try:
        code = _child()
    except MemoryError:
        code = EXIT_MEMORY
    sys.stdout.flush()
    os._exit(code)  # no interpreter teardown: the answer is written, the memory goes with the process
