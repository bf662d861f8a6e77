"""Figure 4, ``decode``: structuring a ``GET /students`` answer of 2,000 students.

The payload is the fake server's own answer (``server.data``, serialized exactly as the
server does: ``json.dumps(..., ensure_ascii=False)`` in UTF-8): nested students with
relations, addresses, comnrs, emails and bank accounts; GUIDs in mixed case and braces, two
date formats. Every variant decodes the same bytes; each round runs every variant once, in
an order shuffled per round (seeded), and a ratio is the median over the rounds of the
ratio of two variants' times in one round.

* ``client``: what the client does, ``json.loads`` then ``convert.structure_many`` into the
  attrs models (the generated structuring functions). ``ratio`` = client / ``orjson.loads``
  (target <= 3.0), with the cyclic garbage collector on, as in production.
* ``ratio_gc_off``: the same with the collector off during both runs, and ``gc_share``: the
  share of the client's time that goes to the collections its allocations trigger.
* ``json_loads_ratio``: stdlib ``json.loads`` alone / ``orjson.loads``.
* ``json_share`` and ``structure_share``: how the client's time splits.
* ``orjson_client_ratio``: ``orjson.loads`` + ``structure_many`` / ``orjson.loads``, and
  ``orjson_gain``: how much faster the client would decode with orjson.
* ``msgspec_ratio``, ``pydantic_ratio``: reference decoders (``_decode_models``).
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import random
import time
from collections.abc import Callable
from typing import Any

import orjson
from _common import SCHOOL_YEAR, Figure, Result, median, say
from _decode_models import PStudents, msgspec_decoder

from informat_async import _offload as offload
from informat_async import models
from informat_async._gc_pause import collector_paused
from informat_async.convert import structure_many
from informat_async.signing import decode_json
from informat_async.testing import FakeData

STUDENTS = 2_000


def payload(students: int = STUDENTS) -> bytes:
    """The bytes of ``GET /students`` for one institute of ``students`` students."""
    data = FakeData.generate(
        institutes=1, students_per_institute=students, school_year=SCHOOL_YEAR, seed=4
    )
    institute = next(iter(data.institutes.values()))
    body = {"students": institute.list_students(SCHOOL_YEAR)}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _structure(data: Any) -> list[models.Student]:
    items, errors = structure_many(data["students"], models.Student, path="$.students")
    if errors:
        raise AssertionError(errors[:3])
    return items


def _without_gc(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def _as_the_client_decodes(body: bytes) -> Callable[[], Any]:
    """The client's decoding of a big answer, as its worker thread runs it: the collector
    paused (``collector_paused``), ``json.loads`` with the object hook that would take turns
    with the loop, then the generated structuring functions."""
    def run() -> Any:
        with collector_paused():
            return _structure(decode_json(body, give_way=True))

    return run


def _off_the_loop(body: bytes) -> Callable[[], Any]:
    """The whole path of a big answer on the client (a coroutine, awaited on the running,
    otherwise idle loop): ``_offload.decode_off_loop``, i.e. the hop to the worker thread
    and back, and the turns it gives the loop every ``TURN_SECONDS``."""
    return lambda: offload.decode_off_loop(
        len(body), lambda: _structure(decode_json(body, give_way=True)))


def variants(body: bytes) -> dict[str, Callable[[], Any]]:
    parsed = json.loads(body)
    return {
        "orjson": lambda: orjson.loads(body),
        "json": lambda: json.loads(body),
        "client": _as_the_client_decodes(body),
        "client_off_loop": _off_the_loop(body),
        "client_not_paused": lambda: _structure(decode_json(body)),
        "client_gc_off": _without_gc(lambda: _structure(decode_json(body))),
        "orjson_gc_off": _without_gc(lambda: orjson.loads(body)),
        "structure_only": lambda: _structure(parsed),
        "orjson_client": lambda: _structure(orjson.loads(body)),
        "msgspec": lambda: msgspec_decoder.decode(body),
        "pydantic": lambda: PStudents.model_validate_json(body),
    }


async def timings(funcs: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Seconds per variant and round; rounds interleave the variants."""
    samples: dict[str, list[float]] = {name: [] for name in funcs}
    # The payload and the pre-parsed copy live on: freeze them out of the collector, so
    # that a variant pays for the collections its own allocations cause, not for a full
    # collection the previous variant made due. Not for the client's own path, though: when
    # its collector pause ends, it moves what the decoding made to the oldest generation
    # with gc.freeze() + gc.unfreeze(), which it skips when the application keeps objects
    # frozen (that would unfreeze them); frozen objects here would make it pay a young
    # collection over every decoded record that no application without frozen objects pays.
    gc.collect()
    gc.freeze()
    try:
        for index in range(rounds):
            # a new order each round: what a variant runs after (a big free, pages the
            # allocator gave back) moved the same code by up to 40 %
            order = list(funcs.items())
            random.Random(index).shuffle(order)
            for name, fn in order:
                gc.collect()
                if name.startswith("client") and name != "client_not_paused":
                    gc.unfreeze()
                t0 = time.perf_counter()
                out = fn()
                if inspect.isawaitable(out):
                    out = await out
                del out  # each variant pays for freeing what it made, as before
                samples[name].append(time.perf_counter() - t0)
                if name.startswith("client") and name != "client_not_paused":
                    gc.collect()
                    gc.freeze()
    finally:
        gc.unfreeze()
    return samples


async def warm_up_and_check(funcs: dict[str, Callable[[], Any]]) -> None:
    """Run each variant once (caches, generated functions); all see the same students."""
    out = {name: fn() for name, fn in funcs.items()}
    out = {name: await v if inspect.isawaitable(v) else v for name, v in out.items()}
    client = {s.persoon_id for s in out["client"]}
    pydantic = {s.persoon_id for s in out["pydantic"].students}
    msgspec = len(out["msgspec"].students)
    if client != pydantic or len(client) != STUDENTS or msgspec != STUDENTS:
        raise AssertionError("the decoders disagree on the students")


async def run(quick: bool) -> Figure:
    fig = Figure()
    body = payload()
    funcs = variants(body)
    await warm_up_and_check(funcs)
    samples = await timings(funcs, rounds=9 if quick else 21)
    t = {name: median(values) for name, values in samples.items()}

    def ratio(a: str, b: str) -> float:
        """The median over the rounds of a / b measured in the same round: a slow spell of
        the machine hits both sides of a pair."""
        return median([x / y for x, y in zip(samples[a], samples[b], strict=True)])

    say(f"payload {len(body) / 1e6:.2f} MB; median ms: "
        + ", ".join(f"{k} {v * 1e3:.1f}" for k, v in t.items()))
    o = t["orjson"]
    name = "decode"
    fig.add(Result(f"{name}.students", STUDENTS))
    fig.add(Result(f"{name}.payload_mb", len(body) / 1e6, digits=2))
    fig.add(Result(f"{name}.client_ms", t["client"] * 1e3, digits=1))
    fig.add(Result(f"{name}.client_students_per_s", STUDENTS / t["client"], digits=0))
    fig.add(Result(f"{name}.ratio", ratio("client", "orjson"), target=("<=", 3.0), digits=2))
    fig.add(Result(f"{name}.off_loop_ratio", ratio("client_off_loop", "orjson"), digits=2))
    fig.add(Result(f"{name}.ratio_if_collector_not_paused",
                   ratio("client_not_paused", "orjson"), digits=2))
    fig.add(Result(f"{name}.ratio_gc_off", ratio("client_gc_off", "orjson_gc_off"), digits=2))
    fig.add(Result(f"{name}.gc_share_if_not_paused",
                   1 - t["client_gc_off"] / t["client_not_paused"], digits=2))
    fig.add(Result(f"{name}.json_loads_ratio", t["json"] / o, digits=2))
    fig.add(Result(f"{name}.json_share", t["json"] / t["client"], digits=2))
    fig.add(Result(f"{name}.structure_share", t["structure_only"] / t["client"], digits=2))
    fig.add(Result(f"{name}.orjson_client_ratio", t["orjson_client"] / o, digits=2))
    fig.add(Result(f"{name}.orjson_gain", t["client"] / t["orjson_client"], digits=2))
    fig.add(Result(f"{name}.msgspec_ratio", t["msgspec"] / o, digits=2))
    fig.add(Result(f"{name}.pydantic_ratio", t["pydantic"] / o, digits=2))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
