"""``python -m sroi`` runs the command line."""

from sroi.cli.main import main

raise SystemExit(main())
