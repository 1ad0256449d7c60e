"""The bundled scenarios, the replication template and the editor JSON Schema.

This folder is installed as the package ``sroi.bundled`` (see
``[tool.setuptools]`` in ``pyproject.toml``), so an installed copy of sroi
carries these files.  Find them with :func:`sroi.scenario.bundled_path`.
It holds no code.
"""
