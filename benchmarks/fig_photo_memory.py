"""Figure 5, ``photo_memory``: is memory flat in the number of photos synced?

The fake server (its own process, ~20 KB JPEGs) serves institutes of 1,000 students (about
93 % of them have a photo). A child process (``_photo_child.py``) syncs the photos of a small
and then a large set of institutes to a temporary directory with ``DirectoryPhotoSink``
through ``bulk_fetch(include=("photos",))``, consuming events as they come, and reports its
peak RSS (``VmHWM``). Separate children, so each peak is its own.

* ``peak_mb`` of each run: target <= 150 MB;
* ``growth`` = peak_large / peak_small - 1: target <= 10 %.

The peak comes from the students lists, not from the photos: while one answer of 1,000
students (~3 MB of JSON, ~13 MB once parsed) is decoded, the next one is read; and the
run fetches at most two students lists at once, and the next only while fewer than 2,000
photos wait (``bulk._PHOTO_IDS_AHEAD``). Before that second rule, every institute's list
came first and the ids of all the students waited for their photos, each pinning some of
its list's freed memory: growth 10.6-14.6 % in three runs, 6.2-6.6 % after.

Both runs start at two institutes (quick: 2,000 and 6,000 students; full: 2,000 and
20,000): with one institute the small run could not have two lists in flight and the
"growth" would measure that step (+10-20 %), not the photos.

The same is reported for ``fetch_all`` (no target): it keeps the student records it
returns, so its memory grows with the students by design, not with the photos.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile

from _common import HERE, Figure, Result, ServerProcess, say

PHOTO_SIZE = 20_000
PER_INSTITUTE = 1_000


async def child(server: ServerProcess, mode: str, institutes: list[str]) -> dict[str, float]:
    out_dir = tempfile.mkdtemp(prefix="informat-photos-")
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(HERE / "_photo_child.py"), mode, out_dir, *institutes,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, **server.env()},
        )
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"photo child exited with {proc.returncode}")
        return dict(json.loads(out.decode().strip().splitlines()[-1]))
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


async def run(quick: bool) -> Figure:
    fig = Figure()
    # Both sizes have at least two institutes: a bulk run with photos fetches up to two
    # students lists at once (bulk._STUDENT_LISTS_IN_FLIGHT), which one institute cannot
    # reach; from two institutes on, the peak is flat in the number of institutes/photos.
    small, large = (2, 6) if quick else (2, 20)
    modes = ("bulk_fetch",) if quick else ("bulk_fetch", "fetch_all")
    async with ServerProcess(
        institutes=large, students=PER_INSTITUTE, photo_size=PHOTO_SIZE
    ) as server:
        for mode in modes:
            runs = {}
            for label, count in (("small", small), ("large", large)):
                m = await child(server, mode, server.institutes[:count])
                runs[label] = m
                say(
                    f"{mode} {label}: {m['students']:.0f} students, {m['photos']:.0f} photos "
                    f"written in {m['seconds']:.1f}s ({m['failures']:.0f} failures), "
                    f"peak RSS {m['peak_rss_mb']:.1f} MB (after imports "
                    f"{m['baseline_rss_mb']:.1f} MB)"
                )
            prefix = "photo_memory" if mode == "bulk_fetch" else "photo_memory.fetch_all"
            target = (mode == "bulk_fetch")
            for label, m in runs.items():
                fig.add(Result(f"{prefix}.{label}.photos", int(m["photos"])))
                fig.add(Result(f"{prefix}.{label}.peak_mb", m["peak_rss_mb"], digits=1,
                               target=("<=", 150.0) if target else None))
            growth = runs["large"]["peak_rss_mb"] / runs["small"]["peak_rss_mb"] - 1
            fig.add(Result(f"{prefix}.growth", growth,
                           target=("<=", 0.10) if target else None))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
