"""Stage 6: the ``sroi`` command line: parse arguments, call the library, print."""
