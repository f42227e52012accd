"""The data package: reading and checking the files of geodata/ into a `Dataset`.

It sits at the bottom of the house and imports no other part of lib (CI's
import-linter holds it to that). Modules: `records` (the record classes, file names
and vocabularies), `checking` (the toolkit readers share), `readers` (one module a
file), `geography` (one function a geography check), `load` (the loader), and what
everything builds on: `dates`, `errors`, `geo` (geometry in metres).
"""

from lib.data.dates import Period
from lib.data.errors import DataError, Problem
from lib.data.load import geodata_dir, load_dataset, read_period
from lib.data.records import Dataset

__all__ = [
    "DataError",
    "Dataset",
    "Period",
    "Problem",
    "geodata_dir",
    "load_dataset",
    "read_period",
]
