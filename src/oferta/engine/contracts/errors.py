"""Errors that stop a registry file from being read at all (as opposed to rejected rows).

Example
-------
>>> err = MissingColumnsError(file="hogares.csv", table="households", columns=("zone",))
>>> err.columns
('zone',)
"""

from __future__ import annotations

from oferta.engine.contracts import messages


class ContractError(Exception):
    """A registry file cannot be read against the contract; ``message`` is Spanish."""

    def __init__(self, message: str, *, file: str) -> None:
        super().__init__(message)
        self.message = message
        self.file = file


class MissingColumnsError(ContractError):
    """The file lacks required columns of its table."""

    def __init__(self, *, file: str, table: str, columns: tuple[str, ...]) -> None:
        super().__init__(
            messages.missing_columns_message(file=file, table=table, columns=columns), file=file
        )
        self.table = table
        self.columns = columns


class UnsupportedFormatError(ContractError):
    """The file is not CSV, Parquet or XLSX."""

    def __init__(self, *, file: str) -> None:
        super().__init__(messages.unsupported_format_message(file=file), file=file)


class EmptyFileError(ContractError):
    """The file has no header row."""

    def __init__(self, *, file: str) -> None:
        super().__init__(messages.empty_file_message(file=file), file=file)


class NotUtf8Error(ContractError):
    """A CSV file is not UTF-8 text."""

    def __init__(self, *, file: str) -> None:
        super().__init__(messages.not_utf8_message(file=file), file=file)
