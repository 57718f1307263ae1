"""What `--out DIR` may replace: only a previous run of ours, never a file we did not write.

A run writes its outputs into DIR when DIR
- does not exist yet (it is created), or is an empty folder;
- or holds a previous dtc-select run and nothing else: its `manifest.json` says `"tool": "dtc-select"`
  (or `"dtc-select monitor"`, ...),
  every other entry is a file that manifest lists under `outputs`, with the SHA-256 recorded there
  (a decisions.xlsx edited and saved in a spreadsheet is the user's work now, not ours).
Anything else is refused before any work, with one line naming what is in the way (exit status 5):
a folder holding other files (`notes.txt`, `sub/`), a file, the current folder or a folder that
holds it (`--out .`: replacing it would pull the folder out from under the user's shell), and a
folder holding one of the run's own input files (the call, applications, scores or overrides).
Nothing is ever merged into a folder: a run folder is what one run wrote, whole.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from dtc_select.errors import OutFolderInTheWay

MANIFEST = "manifest.json"
TOOL = "dtc-select"
# Hidden folders of a write in progress hold this file, written first: only folders carrying it are
# ever cleaned up as a killed run's leftovers, whatever their name (runs/outputs.py).
STAGING_MARK = ".dtc-select-staging"


def check_out_folder(out: str | Path, inputs: tuple[str | Path, ...] = ()) -> Path:
    """The absolute output folder if a run may write to it (new, empty, or a previous run of ours
    and nothing else); else OutFolderInTheWay, one line naming what is in the way."""
    shown = str(out)
    target = Path(out).expanduser().resolve()
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        what = "the current folder" if target == here else "a folder holding the current folder"
        raise OutFolderInTheWay(shown, f"is {what}; a run never replaces it: give a new folder, "
                                       f"e.g. --out reports/my-run")
    for path in inputs:
        if path is None:
            continue
        source = Path(path).expanduser().resolve()
        if target == source or target in source.parents:
            raise OutFolderInTheWay(shown, f"holds {path}, an input of this run; a run never replaces its "
                                           f"inputs: give a new folder, e.g. --out reports/my-run")
    if not target.exists():
        return target
    if not target.is_dir():
        raise OutFolderInTheWay(shown, "is a file, not a folder; a run never replaces it: give a new folder")
    foreign = not_written_by_us(target)
    if foreign:
        listed = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutFolderInTheWay(shown, f"holds what dtc-select did not write ({listed}); a run never removes "
                                       f"it: give a new folder, or move those away")
    return target


def not_written_by_us(folder: Path) -> list[str]:
    """The entries of `folder` a run did not write, sorted; [] for an empty folder or a previous run
    whose files are as its manifest recorded them."""
    entries = sorted(os.listdir(folder))
    if not entries:
        return []
    outputs = _recorded_outputs(folder / MANIFEST)
    if outputs is None:  # no manifest, or not a dtc-select run's: nothing here is ours
        return [e + ("/" if (folder / e).is_dir() else "") for e in entries]
    foreign = []
    for name in entries:
        if name in (MANIFEST, STAGING_MARK):  # the mark: a run killed between its last two steps
            continue
        path = folder / name
        if name not in outputs or path.is_symlink() or not path.is_file():
            foreign.append(name + ("/" if path.is_dir() and not path.is_symlink() else ""))
        elif _sha256(path) != outputs[name]:
            foreign.append(f"{name}, changed since the run wrote it")
    return foreign


def _recorded_outputs(manifest: Path) -> dict[str, str] | None:
    """name -> SHA-256 of the files a dtc-select run recorded writing, or None if `manifest` is not
    a dtc-select run's manifest."""
    if manifest.is_symlink() or not manifest.is_file():
        return None
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    tool = recorded.get("tool") if isinstance(recorded, dict) else None
    ours = isinstance(tool, str) and (tool == TOOL or tool.startswith(TOOL + " "))  # "dtc-select monitor" too
    outputs = recorded.get("outputs") if ours else None
    if not isinstance(outputs, dict) or not all(isinstance(v, str) for v in outputs.values()):
        return None
    return outputs


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
