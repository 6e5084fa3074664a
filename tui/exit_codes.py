"""koppel's exit codes, shared by the face (headless commands, the CLI) and the app (ground)."""

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_IN_USE = 0, 1, 2, 3
