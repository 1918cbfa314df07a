"""Settings shared by every test module."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_state_home(tmp_path_factory):
    """Point XDG_STATE_HOME at a temporary folder for the whole test run.

    The app autosaves its session to the state folder, in Pilot tests too,
    and apps started in tmux inherit this environment, so no test replaces
    the session of the person running the tests. Session scope keeps
    hypothesis from rejecting a function-scoped fixture. Tests that check
    the folder itself still set their own with monkeypatch.
    """
    previous = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state-home"))
    yield
    if previous is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = previous
