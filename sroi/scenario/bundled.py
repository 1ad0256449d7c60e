"""Files shipped with sroi: the bundled scenarios, the replication template and
the editor JSON Schema.

In the repository they live in ``scenarios/``; an install carries the same
files as the package ``sroi.bundled``.  :func:`bundled_path` finds them in
either case, from any working directory, so nothing in sroi looks for a file
relative to the source tree.

>>> bundled_path(PILOT_SITES).joinpath("oxford.yaml").is_file()
True
>>> bundled_path(SCHEMA).name
'scenario.schema.json'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The package the bundled files are installed as.
PACKAGE = "sroi.bundled"
#: Folder of the four Family Action pilot sites and their shared base.
PILOT_SITES = "family_action_pss"
#: The template a new area's scenario extends (``sroi replicate``).
REPLICATION_TEMPLATE = "replication/new_area.yaml"
#: The JSON Schema of scenario files, for editors (``sroi schema``).
SCHEMA = "scenario.schema.json"


def bundled_path(name: str = "") -> Path:
    """The file or folder ``name`` among the bundled files, on the file system.

    ``name`` is a ``/``-separated path inside the bundle (for example
    :data:`REPLICATION_TEMPLATE`); the empty string gives the bundle's folder.
    Scenario files ``extends`` their neighbours by relative path, so the
    bundle must be real files: an install from a zip archive is refused with
    a message.

    Raises
    ------
    FileNotFoundError
        When the bundle has no ``name`` (or sroi is installed without it).
    """
    try:
        root = resources.files(PACKAGE)
    except ModuleNotFoundError:
        raise FileNotFoundError(
            f"sroi is installed without its bundled files (no package {PACKAGE}); "
            "reinstall it with pip"
        ) from None
    if not isinstance(root, Path):
        raise FileNotFoundError(
            f"the bundled scenarios are inside an archive ({root}); "
            "install sroi as files (pip install) to use them"
        )
    target = root.joinpath(*[part for part in name.split("/") if part])
    if not target.exists():
        raise FileNotFoundError(f"sroi's bundled files have no {name!r} (looked in {root})")
    return target
