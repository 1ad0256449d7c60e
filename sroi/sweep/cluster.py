"""Where a sweep's cases run: here, on a process pool, or on a Dask cluster.

* no scheduler, one worker: in this process;
* no scheduler, ``workers`` > 1: a :class:`concurrent.futures.ProcessPoolExecutor`;
* ``local:K``: a :class:`dask.distributed.LocalCluster` of K single-threaded
  worker processes, started and stopped with the sweep;
* ``tcp://HOST:PORT`` (or ``tls://``): an existing Dask cluster.

Dask is an optional extra (``pip install 'sroi[dask]'``).  Cases go to Dask
through its own ``concurrent.futures`` executor
(:meth:`distributed.Client.get_executor`); the scheduler tracks every task
and reruns the tasks of a worker that dies.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(tcp|tls|inproc|ucx)://\S+$")
#: A tcp:// or tls:// address: a host name, IPv4 or [IPv6] address, and an
#: optional port.
_HOST_PORT = re.compile(r"^(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?/?$")
#: The longest Ctrl-C waits for a local cluster's worker processes to be
#: created (not started, which takes longer) [s].
SPAWN_WAIT = 10.0


class SchedulerError(Exception):
    """A scheduler that cannot be used (bad address, Dask not installed)."""


@dataclass(frozen=True)
class Pool:
    """An executor and how many cases it runs at once.

    executor : Executor or None
        None runs cases one by one in this process.
    slots : int
        Cases it runs at once (worker threads in all) [cases].
    client : dask Client or None
        The Dask client, when the pool is a Dask cluster.
    """

    executor: Executor | None
    slots: int
    client: Any = None


def check_scheduler(scheduler: str) -> None:
    """Raise :class:`SchedulerError` unless ``scheduler`` is ``local:K`` or an address.

    >>> check_scheduler("local:2"); check_scheduler("tcp://10.0.0.5:8786")
    """
    m = _LOCAL.match(scheduler)
    if m and int(m.group(1)) >= 1:
        return
    remote = _REMOTE.match(scheduler)
    if remote and remote.group(1) in ("tcp", "tls"):
        address = _HOST_PORT.match(scheduler)
        if address and (address.group(3) is None or 1 <= int(address.group(3)) <= 65535):
            return
        raise SchedulerError(
            f"expected a scheduler address such as tcp://HOST:8786 (a host, then a port from "
            f"1 to 65535); found {scheduler!r}"
        )
    if remote:
        return
    raise SchedulerError(
        f"expected local:K (K >= 1 worker processes) or a scheduler address such as "
        f"tcp://HOST:8786; found {scheduler!r}"
    )


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise SchedulerError(
            "running on Dask needs the dask extra: pip install 'sroi[dask]'"
        ) from None
    return distributed


def _start_local(distributed: Any, n: int) -> Any:
    """A started :class:`~dask.distributed.LocalCluster` of ``n`` worker
    processes that ignore Ctrl-C (SIGINT) for their whole life.

    A terminal sends Ctrl-C to every process of the command, so the workers
    were interrupted too, part-way through importing or through a case, and
    printed their tracebacks.  A signal ignored when a process starts stays
    ignored in it (Python installs its Ctrl-C handler only where the signal
    has its default action), so Ctrl-C is ignored here until the workers'
    processes exist: the cluster starts on another thread meanwhile.  From
    then on the sweep alone acts on Ctrl-C, and stops them; a Ctrl-C while
    the cluster is still starting stops it once it has started.
    """
    starter = ThreadPoolExecutor(1, thread_name_prefix="sroi-local-cluster")
    start = partial(
        distributed.LocalCluster,
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        # No dashboard; the scheduler's small HTTP server on any free port
        # (by default it tries 8787 and warns when that is taken).
        scheduler_kwargs={"dashboard_address": ":0"},
        silence_logs=logging.ERROR,
    )
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        before = set(multiprocessing.active_children())
        started = starter.submit(start)
        waited = 0.0
        while not started.done() and len(set(multiprocessing.active_children()) - before) < n:
            if waited > SPAWN_WAIT:
                break
            time.sleep(0.02)
            waited += 0.02
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    try:
        return started.result()
    except KeyboardInterrupt:
        started.add_done_callback(_close_started)
        raise
    finally:
        starter.shutdown(wait=False)


def _close_started(started: Future[Any]) -> None:
    """Close a cluster that finished starting after the sweep was interrupted."""
    if not started.cancelled() and started.exception() is None:
        started.result().close()


@contextlib.contextmanager
def open_pool(scheduler: str | None = None, workers: int = 1) -> Iterator[Pool]:
    """The pool a sweep runs on; closed (and a local cluster stopped) on leaving."""
    if scheduler is None:
        if workers <= 1:
            yield Pool(None, 1)
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield Pool(pool, workers)
        return
    check_scheduler(scheduler)
    distributed = _dask()
    m = _LOCAL.match(scheduler)
    with contextlib.ExitStack() as stack:
        if m:
            cluster = stack.enter_context(_start_local(distributed, int(m.group(1))))
            client = stack.enter_context(distributed.Client(cluster))
        else:
            try:
                client = stack.enter_context(distributed.Client(scheduler, timeout="20s"))
            except (OSError, ValueError) as exc:
                raise SchedulerError(f"cannot reach the scheduler at {scheduler}: {exc}") from None
        threads = sum(client.nthreads().values())
        yield Pool(client.get_executor(pure=False), max(threads, 1), client)
