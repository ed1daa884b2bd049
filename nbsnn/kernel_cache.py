"""The on-disk cache of compiled kernels: private, owned by the user, self-repairing.

numba keeps compiled kernels as pickles (``.nbi`` index and ``.nbc`` data files)
and loads them with `pickle`, so whoever can write into the cache can run code in
every process that builds a Simulator. The cache directory (``~/.cache/nbsnn``,
``$XDG_CACHE_HOME/nbsnn`` or ``$NBSNN_CACHE_DIR``) is therefore created private
(0700), and a cache directory or file that is not owned by the user, or that other
users can write, is not used: kernels compile into a private temporary directory
for that process instead, with a `KernelCacheWarning` saying why. An entry that
fails to load (e.g. a file truncated by a full disk) is recompiled and rewritten,
with a warning, instead of making every Simulator fail.
"""

import os
import sys
import tempfile
import warnings

from .exceptions import KernelCacheWarning

__all__ = ["KernelCacheWarning", "guard_loading", "private_dir", "root"]


def root():
    """The cache's root directory (``NBSNN_CACHE_DIR`` or the XDG cache home)."""
    return os.environ.get("NBSNN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "nbsnn"
    )


def _make_private(path):
    """Create ``path`` (mode 0700) or tighten it to 0700 if it is the user's."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    st = os.lstat(path)
    if st.st_uid == os.getuid() and st.st_mode & 0o077:
        os.chmod(path, 0o700)


def _untrusted(path):
    """Why ``path`` (a directory) and its contents cannot be trusted, or None."""
    uid = os.getuid()
    for folder, _, files in os.walk(path):
        for name in [None, *files]:  # each folder is checked when walked
            item = folder if name is None else os.path.join(folder, name)
            st = os.lstat(item)
            if st.st_uid != uid:
                return f"{item} is owned by user id {st.st_uid}, not by you ({uid})"
            if st.st_mode & 0o022:
                return f"{item} can be written by other users"
    return None


def private_dir(path):
    """``path`` made private (0700) if it can be trusted, else a new private temp dir.

    A directory or file in it that is not owned by the user, or that is writable
    by others, means the cache may hold code planted by someone else.
    """
    if not hasattr(os, "getuid"):  # not POSIX: no owners or modes to check
        return path
    try:
        _make_private(os.path.dirname(path))
        _make_private(path)
        reason = _untrusted(path)
    except OSError as err:
        reason = f"it cannot be used ({err})"
    if reason is None:
        return path
    fallback = tempfile.mkdtemp(prefix="nbsnn-kernels-")
    warnings.warn(
        f"Not using the nbsnn kernel cache {path}: {reason}. Kernels compile into a "
        f"private temporary directory ({fallback}) for this process instead, which "
        f"makes start-up slower. Delete {path} (or set NBSNN_CACHE_DIR to a directory "
        "of your own) to use a cache again.",
        KernelCacheWarning,
        stacklevel=2,
    )
    return fallback


def _guard(dispatcher):
    cache = dispatcher._cache
    load = cache.load_overload

    def load_overload(sig, target_context):
        try:
            return load(sig, target_context)
        except Exception as err:  # noqa: BLE001 - any unreadable entry is recompiled
            warnings.warn(
                f"The cached kernel {dispatcher.py_func.__qualname__} in {cache.cache_path} "
                f"could not be loaded ({type(err).__name__}: {err}); recompiling it.",
                KernelCacheWarning,
                stacklevel=2,
            )
            try:
                cache.flush()  # an empty index: the recompiled kernel replaces it
            except OSError:
                pass
            return None

    cache.load_overload = load_overload


def guard_loading(package):
    """Make every cached numba kernel of ``package`` (imported modules) recompile an
    entry that fails to load instead of raising."""
    from numba.core.dispatcher import Dispatcher

    for name, module in list(sys.modules.items()):
        if name != package and not name.startswith(package + "."):
            continue
        for obj in vars(module).values():
            if (isinstance(obj, Dispatcher) and obj.__module__ == name
                    and getattr(obj, "_cache", None) is not None
                    and hasattr(obj._cache, "cache_path")):
                _guard(obj)
