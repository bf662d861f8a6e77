"""Child process of the ``photo_memory`` figure: sync photos to a directory, report memory.

Usage: ``python _photo_child.py MODE OUT_DIR INSTITUTE...`` with the server's URLs and
credentials in ``INFORMAT_*`` environment variables (``InformatClient.from_env``). MODE is
``bulk_fetch`` (iterate the events, keep nothing: the streaming way) or ``fetch_all``
(gather the run: the students' records stay in memory, photos do not).

Prints one JSON line: peak RSS after the run and after the imports, photos written,
seconds, requests. The peak is ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` would not
do, as Linux carries the parent's high-water mark over ``fork`` and ``exec``.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

from informat_async import InformatClient
from informat_async.sinks import DirectoryPhotoSink

SCHOOL_YEAR = "2025-26"
MAX_IN_FLIGHT = 16


def _peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _sync(mode: str, out_dir: str, institutes: list[str]) -> dict[str, float]:
    sink = DirectoryPhotoSink(out_dir)
    t0 = time.perf_counter()
    async with InformatClient.from_env(rate_limit=None, max_in_flight=MAX_IN_FLIGHT) as client:
        if mode == "fetch_all":
            result = await client.fetch_all(institutes, SCHOOL_YEAR, include=("photos",),
                                            photo_sink=sink)
            report = result.report
        else:
            async with client.bulk_fetch(
                institutes, SCHOOL_YEAR, include=("photos",), photo_sink=sink
            ) as run:
                async for _ in run:
                    pass
            report = run.report
    return {
        "photos": sink.written,
        "students": report.total("students"),
        "failures": len(report.failures),
        "requests": report.requests,
        "seconds": time.perf_counter() - t0,
    }


def main() -> None:
    mode, out_dir, *institutes = sys.argv[1:]
    baseline = _peak_rss_mb()
    outcome = asyncio.run(_sync(mode, out_dir, institutes))
    outcome.update(peak_rss_mb=_peak_rss_mb(), baseline_rss_mb=baseline)
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    main()
