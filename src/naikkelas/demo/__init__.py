"""The demo: a reproducible synthetic city with its programme year, voices from the
field, catalogue, targets and accounts, built by `naikkelas demo`.

Last in the layers: it may use every app, and no app uses it.
"""
