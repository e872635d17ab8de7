"""`python -m naikkelas` is the same as the `naikkelas` command."""

from naikkelas.cli import main

main()
