"""The one error type a user's input can cause: it names the file, the record and the field."""


class BuildError(Exception):
    """Bad input. Printed as one line, without a traceback, by the CLI."""

    def __init__(self, file: str, record: str, field: str, message: str):
        self.file, self.record, self.field, self.message = file, record, field, message
        super().__init__(f"{file}: record {record}: field {field}: {message}")
