"""The one error type a user's input can cause: it names the file, the record and the field."""

NOT_APPLICABLE = "-"


class InputError(Exception):
    """Bad input. Printed as one line, without a traceback, by the CLI.

    ``record`` or ``field`` is ``NOT_APPLICABLE`` ("-") when the problem is with the whole file or record.
    """

    def __init__(self, file: str, record: str, field: str, message: str):
        self.file, self.record, self.field, self.message = file, record, field, message
        located = [f"record {record}" if record != NOT_APPLICABLE else "", f"field {field}" if field != NOT_APPLICABLE else ""]
        super().__init__(": ".join([file, *filter(None, located), message]))
