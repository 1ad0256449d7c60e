"""Start-up counted in instructions: immune to how busy the machine is.

Wall-clock start-up on a shared machine swings about 2x within an hour
(docs/performance.md, Start-up); the number of instructions a command
executes does not.  This counts them with valgrind's callgrind tool for
``python -c pass``, the floor any validator built on PyYAML and pydantic pays
(``FLOOR`` in ``bench.py``), ``sroi --help`` and ``sroi validate scenarios``,
and prints each over ``python -c pass``:

    python benchmarks/instructions.py              # this checkout
    python benchmarks/instructions.py OTHER_ROOT   # another checkout beside it

Each command runs the ``sroi`` command's entry point (``console``, as the
installed script does) from the checkout given, its bytecode compiled first.
Counts vary by about +-3 million between runs (hash randomisation); each
command takes about a minute under valgrind.  Needs ``valgrind`` on the
``PATH`` (Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import compileall
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import FLOOR  # noqa: E402


def instructions(code: str, cwd: Path) -> int:
    """Instructions ``python -c code`` executes, by callgrind."""
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*valgrind, sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind failed on {code!r}:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def command(root: Path, *args: str) -> str:
    """Code that runs ``sroi ARGS`` from ``root`` as the installed script does."""
    return (
        f"import sys; sys.path.insert(0, {str(root)!r}); sys.argv = ['sroi', *{list(args)!r}]\n"
        "from sroi.cli.main import console; console()"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("roots", nargs="*", type=Path, help="checkouts to compare (default: this one)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind on the PATH (Debian: apt-get install valgrind)")
    roots = [r.resolve() for r in args.roots] or [ROOT]
    for root in roots:
        compileall.compile_dir(root / "sroi", quiet=1)
    bare = instructions("pass", ROOT)
    print(f"python -c pass: {bare / 1e6:,.0f}M instructions; the rest over it")
    floor = instructions(FLOOR, ROOT) - bare
    print(f"  floor (PyYAML + pydantic, one model): +{floor / 1e6:,.0f}M")
    for root in roots:
        # Run from this repository's root, where `scenarios` is.
        shown = root if len(roots) > 1 else "sroi"
        for argv in (("--help",), ("validate", "scenarios")):
            count = instructions(command(root, *argv), ROOT) - bare
            print(f"  {shown} {' '.join(argv)}: +{count / 1e6:,.0f}M", flush=True)


if __name__ == "__main__":
    main()
