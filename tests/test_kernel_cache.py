"""The kernel cache is private, ignores files it cannot trust and repairs broken entries."""

import os
import shutil
import stat
import subprocess
import sys
import textwrap

import pytest

import nbsnn
from nbsnn import kernel_cache
from nbsnn.kernel_cache import KernelCacheWarning
from nbsnn.kernels import cache_dir


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_cache_is_created_private(tmp_path):
    path = tmp_path / "cache" / "kernels-x"
    assert kernel_cache.private_dir(str(path)) == str(path)
    assert _mode(path) == _mode(path.parent) == 0o700


def test_an_own_cache_open_to_others_is_made_private(tmp_path):
    path = tmp_path / "kernels-x"
    path.mkdir(mode=0o755)
    os.chmod(path, 0o755)
    assert kernel_cache.private_dir(str(path)) == str(path)
    assert _mode(path) == 0o700


def test_a_file_others_can_write_makes_the_cache_ignored(tmp_path):
    path = tmp_path / "kernels-x"
    path.mkdir()
    planted = path / "sub" / "interpreter.run-83.py311.nbi"
    planted.parent.mkdir()
    planted.write_bytes(b"planted")
    os.chmod(planted, 0o666)
    with pytest.warns(KernelCacheWarning, match="can be written by other users") as record:
        used = kernel_cache.private_dir(str(path))
    assert used != str(path) and str(planted) in str(record[0].message)
    assert _mode(used) == 0o700 and not os.listdir(used)
    assert planted.read_bytes() == b"planted"  # ignored, not touched


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_a_file_owned_by_another_user_makes_the_cache_ignored(tmp_path):
    path = tmp_path / "kernels-x"
    path.mkdir()
    planted = path / "linalg.copy-45.py311.nbi"
    planted.write_bytes(b"planted")
    os.chown(planted, 12345, 12345)
    with pytest.warns(KernelCacheWarning, match="owned by user id 12345"):
        used = kernel_cache.private_dir(str(path))
    assert used != str(path)


def test_a_truncated_entry_is_recompiled_not_fatal(tmp_path):
    """A real nbsnn kernel whose cached index and data are cut short still runs."""
    import numpy as np

    from nbsnn.kernels import compact

    compact.indices_above(np.zeros(4), 4, 1.0, np.zeros(4, dtype=np.int64))  # cached now
    root = tmp_path / "cache"
    kernels = root / os.path.basename(cache_dir())
    shutil.copytree(os.path.dirname(compact.indices_above._cache.cache_path), kernels)
    entries = sorted(kernels.glob("*/compact.indices_above-*"))
    assert {p.suffix for p in entries} == {".nbi", ".nbc"}
    for p in entries:
        p.write_bytes(p.read_bytes()[:50])
    script = textwrap.dedent("""
        import warnings
        import numpy as np
        warnings.simplefilter("always")
        from nbsnn.kernels import compact
        where = np.zeros(4, dtype=np.int64)
        print(compact.indices_above(np.array([0.0, 2.0, 0.5, 3.0]), 4, 1.0, where), where[:2])
    """)
    env = dict(os.environ, NBSNN_CACHE_DIR=str(root), PYTHONPATH=os.path.dirname(os.path.dirname(nbsnn.__file__)))
    for attempt in range(2):
        run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=False,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert run.stdout.split() == ["2", "[1", "3]"]
        broken = "indices_above in" in run.stderr and "recompiling it" in run.stderr
        assert broken == (attempt == 0), run.stderr  # the second run loads the repaired entry
