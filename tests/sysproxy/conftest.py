"""Fixtures for the kernel server's tests: real kernd processes.

Every test gets its own XDG_RUNTIME_DIR (world-traversable, so that a
child that drops to another uid can still reach the socket), boots the
kernels it needs with the real ``netkern boot`` (test hooks enabled,
NETKERN_TEST_HOOKS=1), and halts them afterwards; a kernel that will
not halt is killed, so no process outlives its test.  Helpers are in
nkhelp.py.
"""

import os
import shutil
import tempfile

import pytest

from nkhelp import Kernels


@pytest.fixture
def xdg(monkeypatch):
    """A private, world-traversable XDG_RUNTIME_DIR for this test and its children."""
    d = tempfile.mkdtemp(prefix="nkxdg-")
    os.chmod(d, 0o755)
    monkeypatch.setenv("XDG_RUNTIME_DIR", d)
    monkeypatch.setenv("NETKERN_TEST_HOOKS", "1")
    monkeypatch.delenv("NETKERN", raising=False)
    monkeypatch.delenv("NETKERN_PERSONALITY", raising=False)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def kernels(xdg):
    k = Kernels(xdg)
    yield k
    k.halt_all()


@pytest.fixture
def kname(kernels):
    """One running kernel, GENERIC, called k0."""
    return kernels.boot("k0")

