"""``python -m readiness``: the same entry point as the ``readiness`` command."""

from readiness.entry import main

if __name__ == "__main__":
    main()
