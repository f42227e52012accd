"""Repair and merge a reader's polygons with a hard budget of CPU and memory.

`shapely.make_valid` and `union_all` cost far more than a file's size suggests: a ring
of 500 random points crosses itself tens of thousands of times, and its repair took a
minute; one of 48,000 points asked for 12 GB and crashed the server. Counting the
crossings first costs as much as the repair, so the work runs where it can be stopped:
a child process (this file run as a script) with limits on its CPU time and its address
space, at a lower priority than the server. A file that breaks them is refused by
name; the server only waits, and other readers keep their speed.

The child imports nothing from the project: it starts in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import re
import signal
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass

import shapely

CPU_SECONDS = 1.5  # the child's CPU time, on top of its start-up
# the child's address space on top of its start-up: with its interpreter (~140 MB
# resident), an upload adds under 500 MB to the server's machine
MEMORY_BYTES = 320 * 2**20
WALL_SECONDS = 20.0  # a child starved of CPU by a busy machine still ends
MAX_OUTPUT_VERTICES = 200_000  # what the server then clips, projects and counts
# One repair at a time per server: a queue of uploads costs one core, never all of them.
_ONE_AT_A_TIME = threading.BoundedSemaphore(1)
QUEUE_SECONDS = 30.0

TOO_SLOW = (
    "repairing its geometry would take too long (more than {cpu:g} s of work; its "
    "outlines probably cross themselves many times): fix it in a GIS (QGIS: Fix "
    "geometries) and upload it again"
)
TOO_BIG = (
    "repairing its geometry would need more than {mb} MB of memory (its outlines "
    "probably cross themselves many times): fix it in a GIS (QGIS: Fix geometries) and "
    "upload it again"
)
OUTPUT_TOO_BIG = (
    "its repaired geometry has {n:,} vertices; the limit is {limit:,} (its outlines cross "
    "themselves many times): fix it in a GIS (QGIS: Fix geometries) and upload it again"
)
BUSY = "the server is busy reading other uploads: try again in a minute"


class RepairRefused(ValueError):
    """The polygons cannot be repaired within the budget; the message says why."""


@dataclass(frozen=True)
class Repaired:
    geometry: object  # one valid (multi)polygon: the union of the input's polygons
    invalid_reasons: tuple[str, ...]  # GEOS's reason for each input polygon repaired


def repair_union(polygons, cpu_seconds: float = CPU_SECONDS, memory_bytes: int = MEMORY_BYTES):
    """The union of `polygons` made valid, computed in a child process with limits.

    Raises RepairRefused when the work breaks a limit (time, memory, output size) or
    the server is already repairing another upload for longer than QUEUE_SECONDS.
    """
    payload = _pack([shapely.to_wkb(p) for p in polygons])
    if not _ONE_AT_A_TIME.acquire(timeout=QUEUE_SECONDS):
        raise RepairRefused(BUSY)
    try:
        return _run_child(payload, cpu_seconds, memory_bytes)
    finally:
        _ONE_AT_A_TIME.release()


def _run_child(payload: bytes, cpu_seconds: float, memory_bytes: int) -> Repaired:
    args = [sys.executable, "-I", os.path.abspath(__file__), str(cpu_seconds), str(memory_bytes)]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    try:
        done = subprocess.run(
            args, input=payload, capture_output=True, timeout=WALL_SECONDS, env=env, check=False
        )
    except subprocess.TimeoutExpired:  # run() has killed it
        raise RepairRefused(TOO_SLOW.format(cpu=cpu_seconds)) from None
    out = done.stdout
    head, _, body = out.partition(b"\n")
    try:
        status = json.loads(head)
    except ValueError:
        status = {}
    if done.returncode == 0 and status.get("ok"):
        return Repaired(shapely.from_wkb(body), tuple(status["invalid"]))
    error = status.get("error")
    # out of address space, the C runtime may end the child instead of raising (glibc:
    # "cannot allocate memory for thread-local data", by abort or exit 127): that is
    # the memory limit too
    if error is None and done.returncode and re.search(rb"alloc|memory", done.stderr):
        error = "memory"
    if error == "memory":
        raise RepairRefused(TOO_BIG.format(mb=memory_bytes // 2**20))
    if error == "output":
        raise RepairRefused(OUTPUT_TOO_BIG.format(n=status["vertices"], limit=MAX_OUTPUT_VERTICES))
    # ended by its CPU timer (SIGPROF) or limit (SIGXCPU, then SIGKILL), or for memory
    # by the system: all are what the limits are for
    if -done.returncode in (signal.SIGPROF, signal.SIGXCPU, signal.SIGKILL):
        raise RepairRefused(TOO_SLOW.format(cpu=cpu_seconds))
    raise RepairRefused(
        f"its geometry could not be repaired (the repair stopped: {_tail(done.stderr)})"
    )


def _tail(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:120] if lines else "no reason given"


def _pack(blobs: list[bytes]) -> bytes:
    return struct.pack("<I", len(blobs)) + b"".join(struct.pack("<I", len(b)) + b for b in blobs)


def _unpack(data: bytes) -> list[bytes]:
    (n,), pos, out = struct.unpack_from("<I", data), 4, []
    for _ in range(n):
        (size,) = struct.unpack_from("<I", data, pos)
        out.append(data[pos + 4 : pos + 4 + size])
        pos += 4 + size
    return out


def repair_and_merge(polygons):
    """The work itself (in the child): each invalid polygon made valid, then one union
    of them all, keeping only its polygons."""
    reasons, valid = [], []
    for p in polygons:
        if p.is_valid:
            valid.append(p)
        else:
            reasons.append(shapely.is_valid_reason(p))
            valid.append(shapely.make_valid(p))
    merged = valid[0] if len(valid) == 1 else shapely.union_all(valid)
    parts = [g for g in shapely.get_parts(merged) if g.geom_type == "Polygon"]
    if not parts:  # a collection: its polygons may nest one more level
        parts = [
            g
            for sub in shapely.get_parts(merged)
            for g in shapely.get_parts(sub)
            if g.geom_type == "Polygon"
        ]
    if len(parts) == 1:
        geom = parts[0]
    elif parts:
        geom = shapely.MultiPolygon(parts)
    else:
        geom = shapely.Polygon()
    return geom, reasons


def _limit_self(cpu_seconds: float, memory_bytes: int) -> None:
    """CPU and address-space limits on top of what this process uses now, and a lower
    priority than the server's. Where `resource` is missing (Windows), only the
    parent's wall-clock timeout holds."""
    try:
        import resource
    except ImportError:
        return
    # SIGPROF after cpu_seconds of CPU from now (its default action ends the process);
    # RLIMIT_CPU, in whole seconds, is the backstop
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + cpu_seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + memory_bytes, size + memory_bytes))
    except (OSError, ValueError):
        pass  # no /proc: the CPU limit and the timeout still bound the work
    try:
        os.nice(10)
    except OSError:
        pass


def _child_main(cpu_seconds: float, memory_bytes: int) -> int:
    data = sys.stdin.buffer.read()
    _limit_self(cpu_seconds, memory_bytes)
    out = sys.stdout.buffer
    try:
        polygons = [shapely.from_wkb(b) for b in _unpack(data)]
        geom, reasons = repair_and_merge(polygons)
        vertices = int(shapely.get_num_coordinates(geom))
        if vertices > MAX_OUTPUT_VERTICES:
            out.write(json.dumps({"error": "output", "vertices": vertices}).encode() + b"\n")
            return 3
        body = shapely.to_wkb(geom)
    except MemoryError:
        out.write(b'{"error": "memory"}\n')
        return 2
    except shapely.errors.GEOSException as exc:
        # GEOS reports a failed allocation as std::bad_alloc
        kind = "memory" if "alloc" in str(exc) else "geos"
        out.write(json.dumps({"error": kind, "detail": str(exc)[:200]}).encode() + b"\n")
        print(str(exc)[:200], file=sys.stderr)
        return 2
    out.write(json.dumps({"ok": True, "invalid": reasons}).encode() + b"\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(float(sys.argv[1]), int(sys.argv[2])))
