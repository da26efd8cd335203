"""huashu: a customer-service handbook (话术库) from a repository of YAML.

The pipeline, one module per stage, data flowing one way:
load → validate → (model) → pages → search_index → cards. `load_library` runs
the first two: every later stage starts from the validated `model.Library`.
"""

from __future__ import annotations

from pathlib import Path

from huashu.load import read_library
from huashu.model import Library
from huashu.validate import validate_library


def load_library(library_dir: Path, base: Path | None = None, pending: dict[Path, bytes] | None = None) -> Library:
    """Read and validate a library folder; raise LibraryInvalid listing every problem.

    Args:
        library_dir: The `scripts_library/` folder.
        base: Folder that file names in messages are relative to (default: the current one).
        pending: Files to read from these bytes instead of the disk: the library a command
            would leave, checked before it writes.
    """
    return validate_library(read_library(library_dir, base, pending))
