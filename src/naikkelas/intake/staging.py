"""The staging table an import fills with its checked rows before it writes the registry.

Rows are checked in Python (`intake.rows`) as they stream from the file and land here
typed, with their blind indexes and their personal data already encrypted (no plaintext
NIK or phone reaches the database). Matching and the writing of new businesses are then
set-based SQL over this table (`intake.importer`). It is a TEMP table: private to the
import's connection, not written to PostgreSQL's WAL, and gone with the transaction
whatever happens to it.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, connection, models, transaction

from naikkelas.core import bulk
from naikkelas.registry.models import Business, FinancialRecord, Owner

TABLE = "intake_staging"
# What the SQL steps decide about each row, in narrow tables each written by one
# INSERT ... SELECT: rewriting a million wide rows with UPDATE costs more than the rest.
PLAN = "intake_plan"  # every staged row: the business it matches, if any
NEW = "intake_new"  # the rows that create a business: its id and its owner's
TEMP_BUFFERS = "1GB"  # allocated as the tables grow, never more than they hold

# The source's facts, typed as the registry stores them: business columns under their
# own names, owner columns prefixed with owner_.
BUSINESS_SOURCE_FIELDS = (
    "name", "nib", "kbli", "sector", "main_activity", "main_product", "legal_form",
    "reported_size_class", "founding_capital", "start_month", "start_year", "kelurahan_id",
    "rt", "rw", "street", "latitude", "longitude", "photo_url", "paid_male", "paid_female",
    "paid_disabled_male", "paid_disabled_female", "unpaid_male", "unpaid_female",
    "unpaid_disabled_male", "unpaid_disabled_female", "source_pulled_at", "source_page",
)  # fmt: skip
OWNER_SOURCE_FIELDS = ("name", "gender", "has_disability", "birth_date", "education",
                       "kelurahan_id", "street", "rt", "rw")  # fmt: skip

Column = tuple[str, models.Field[Any, Any]]


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


# What Python writes for each row, in this order.
WRITTEN: list[Column] = [
    ("number", models.IntegerField()),
    ("source_id", _field(Business, "source_id")),
    ("name_key", models.TextField()),
    # The owner a new business gets: its NIK's blind index, or the row alone.
    ("owner_key", models.TextField()),
    *((f"owner_{n}", _field(Owner, n)) for n in (
        "nik_index", "nik_encrypted", "phone_index", "phone_encrypted")),
    ("year", _field(FinancialRecord, "year")),
    ("sales", _field(FinancialRecord, "annual_sales")),
    ("assets", _field(FinancialRecord, "assets")),
    ("capital", _field(FinancialRecord, "capital")),
    ("updated_at", _field(Business, "source_updated_at")),
    *((n, _field(Business, n)) for n in BUSINESS_SOURCE_FIELDS),
    *((f"owner_{n}", _field(Owner, n)) for n in OWNER_SOURCE_FIELDS),
]  # fmt: skip
PLANNED: list[Column] = [
    ("number", models.IntegerField()),
    ("owner_key", models.TextField()),
    ("match_id", models.BigIntegerField()),  # the business the row is about
    ("newer", models.BooleanField()),  # newer than that business: it updates it
]
NEW_COLUMNS: list[Column] = [
    ("number", models.IntegerField()),
    ("business_id", models.BigIntegerField()),
    ("owner_id", models.BigIntegerField()),
    ("creates_owner", models.BooleanField()),  # the row whose owner is created
]


def _sql_type(field: models.Field[Any, Any]) -> str:
    if isinstance(field, models.ForeignKey):
        return str(field.target_field.db_type(connection))
    return str(field.db_type(connection)).replace("AUTOINCREMENT", "")


def _create(table: str, columns: list[Column]) -> str:
    definitions = ", ".join(
        f"{name} {_sql_type(field)}{' PRIMARY KEY' if name == 'number' else ''}"
        for name, field in columns
    )
    return f"CREATE TEMP TABLE {table} ({definitions})"


def create() -> None:
    if connection.vendor == "postgresql":
        _temp_buffers()
    with connection.cursor() as cursor:
        cursor.execute(_create(TABLE, WRITTEN))


def _temp_buffers() -> None:
    """Temp tables live in the session's own buffers, 8 MB by default: a large import
    would spill them to disk at every pass. The size can only be set before the session
    first uses a temp table (after that, only to the same value), so a session that has
    used other sizes keeps its own."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL temp_buffers = %s", [TEMP_BUFFERS])
    except DatabaseError:
        pass


def create_plan(matches: str) -> None:
    """The plan of every staged row, from `matches`: a SELECT of number, owner_key and
    match_id over the staging table."""
    with connection.cursor() as cursor:
        # Temp tables have no statistics until analysed: planned blind, the matching
        # join becomes a nested loop over the registry for every row.
        cursor.execute(f"ANALYZE {TABLE}")
        cursor.execute(_create(PLAN, PLANNED))
        cursor.execute(f"INSERT INTO {PLAN} (number, owner_key, match_id) {matches}")
        cursor.execute(f"ANALYZE {PLAN}")


def create_new(rows: str, params: list[Any]) -> None:
    """The rows that create a business, from `rows`: a SELECT of NEW_COLUMNS."""
    with connection.cursor() as cursor:
        cursor.execute(_create(NEW, NEW_COLUMNS))
        names = ", ".join(name for name, _f in NEW_COLUMNS)
        cursor.execute(f"INSERT INTO {NEW} ({names}) {rows}", params)


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEW}")
        cursor.execute(f"DROP TABLE {PLAN}")
        cursor.execute(f"DROP TABLE {TABLE}")


class Writer:
    """Rows of values in WRITTEN's order, encoded for the database (`encode`, which
    may run in a worker process) and written to the staging table (`write`, within
    `open`)."""

    def __init__(self) -> None:
        self.columns = [name for name, _f in WRITTEN]
        adapters = [bulk.adapter(field) for _n, field in WRITTEN]
        self.adapted = [(i, adapt) for i, adapt in enumerate(adapters) if adapt is not None]
        self.text = connection.vendor == "postgresql"
        self._send: Callable[[Iterable[str]], None] | None = None

    def encode(self, values: list[Any]) -> Any:
        """A line of COPY text on PostgreSQL, the adapted values on SQLite."""
        for i, adapt in self.adapted:
            if values[i] is not None:
                values[i] = adapt(values[i])
        return bulk.copy_line(values) if self.text else values

    @contextmanager
    def open(self) -> Iterator[None]:
        """On PostgreSQL, one COPY for every batch: the server stores a batch while the
        next is checked."""
        if not self.text:
            yield
            return
        with bulk.copy_stream(TABLE, self.columns) as send:
            self._send = send
            try:
                yield
            finally:
                self._send = None

    def write(self, encoded: list[Any]) -> None:
        if not self.text:
            bulk.copy_rows(TABLE, self.columns, encoded)
            return
        assert self._send is not None, "Writer.write on PostgreSQL belongs within open()"
        self._send(encoded)
