from typing import Any

import pytest

from disrupt.history.loader import Loader, load_history


@pytest.fixture
def public_record(db: Any) -> Loader:
    """The real data file, loaded as `disrupt loadhistory` loads it."""
    return load_history()
