import sys

if sys.argv[1:] == ["--version"] and sys.stdout is not None:  # what argparse's --version prints, without
    from tui import __version__  # building the parser and importing koppel (issue 11: within 3x `python -c pass`)

    print(f"koppel {__version__}")
    raise SystemExit(0)

from tui.cli import main  # noqa: E402

raise SystemExit(main())
