"""``python -m sroi`` runs the command line."""

from sroi.cli.main import console

console()
