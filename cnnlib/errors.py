"""Exceptions raised for bad user input; their messages come from `cnnlib.text`."""


class CnnlibError(Exception):
    """Base class for errors that name the bad value and the fix."""


class UnknownNameError(CnnlibError, ValueError):
    """A model, dataset, profile or option name that cnnlib does not know."""


class DatasetNotFoundError(CnnlibError, FileNotFoundError):
    """No local copy of a dataset was found and it could not be downloaded."""


class CorruptDataError(CnnlibError, ValueError):
    """A dataset or cache file exists but cannot be decoded."""


class TrainingDivergedError(CnnlibError, FloatingPointError):
    """The training loss became NaN or infinite."""
