"""Errors a user can act on. Their message is shown as is: name the file, row and fix."""


class AlignScopeError(Exception):
    """Base of every user-facing error raised by the engine or the CLI."""


class InputError(AlignScopeError):
    """Bad input data: a file, a row, an array that cannot be used as given."""


class ModelError(AlignScopeError):
    """A model that cannot be loaded: unknown id, checksum mismatch, invalid ONNX."""


class StoreError(AlignScopeError):
    """A project store that cannot be opened or written."""
