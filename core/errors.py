"""The one error type a user's input can cause (it names the file, the record and the field), several of
them found in one pass, and the collector that steps use to report every problem rather than the first."""

NOT_APPLICABLE = "-"


class InputError(Exception):
    """Bad input. Printed as one line, without a traceback, by the CLI.

    ``record`` or ``field`` is ``NOT_APPLICABLE`` ("-") when the problem is with the whole file or record.
    """

    def __init__(self, file: str, record: str, field: str, message: str):
        self.file, self.record, self.field, self.message = file, record, field, message
        located = [f"record {record}" if record != NOT_APPLICABLE else "", f"field {field}" if field != NOT_APPLICABLE else ""]
        super().__init__(": ".join([file, *filter(None, located), message]))

    def lines(self) -> list[str]:
        """The problem as the CLI prints it, one line each."""
        return [str(self)]


class InputErrors(InputError):
    """Several problems found in one pass, in file order (each file's problems in the order found)."""

    def __init__(self, errors: list[InputError]):
        self.errors = sorted(errors, key=lambda error: error.file)
        first = self.errors[0]
        self.file, self.record, self.field, self.message = first.file, first.record, first.field, first.message
        Exception.__init__(self, "\n".join(str(error) for error in self.errors))

    def lines(self) -> list[str]:
        return [str(error) for error in self.errors]


class Problems:
    """Every ``InputError`` a step finds, so that it reports them all rather than the first."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, error: InputError) -> None:
        self.errors.extend(error.errors if isinstance(error, InputErrors) else [error])

    def attempt(self, function, *args, **kwargs):
        """``function(*args, **kwargs)``; an ``InputError`` it raises is recorded, and None returned."""
        try:
            return function(*args, **kwargs)
        except InputError as error:
            self.add(error)
            return None

    def check(self) -> None:
        """Raise what was found: the one ``InputError``, or ``InputErrors`` for several."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InputErrors(self.errors)
