"""Figure 6, ``token_requests``: one token request for 1,000 calls at token expiry.

The server issues tokens that live 4 s; the client refreshes a token half-way through so
short a life (``Token.refresh_at``). One call fetches the first token; once it is due for
refresh, 1,000 calls start at once (``asyncio.gather``). The token cache must make a single
request for all of them (single flight). Counted on both sides: ``client.stats`` and the
server's ``/connect/token`` counter. Target 1.
"""

from __future__ import annotations

import asyncio
import itertools
import time

from _common import Figure, Result, ServerProcess, say

LIFETIME = 4.0
CALLS = 1_000


async def run(quick: bool) -> Figure:
    fig = Figure()
    async with ServerProcess(institutes=1, students=200, token_lifetime=LIFETIME) as server:
        institute = server.institutes[0]
        ids = list(itertools.islice(itertools.cycle(server.photo_ids(institute)), CALLS))
        async with server.client(rate_limit=None, max_in_flight=100) as client:
            await client.student_photo(institute, ids[0])  # the first token
            obtained = time.monotonic()
            # refresh is due at half the lifetime for a token this short; wait past it
            await asyncio.sleep(LIFETIME * 0.5 + 0.2)
            client_before = client.stats.token_requests
            server_before = (await server.stats())["token_requests"]
            t0 = time.monotonic()
            outcomes = await asyncio.gather(
                *(client.student_photo(institute, sid) for sid in ids), return_exceptions=True
            )
            burst = time.monotonic() - t0
            client_delta = client.stats.token_requests - client_before
            refreshes_401 = client.stats.token_refreshes_on_401
        server_delta = (await server.stats())["token_requests"] - server_before
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    say(
        f"{CALLS} calls fired {t0 - obtained:.2f}s after the first token (lifetime "
        f"{LIFETIME:g}s), done in {burst:.2f}s; {len(failed)} failed, "
        f"{refreshes_401} tokens dropped on 401"
    )
    fig.add(Result("token_requests.calls_ok", CALLS - len(failed), target=("==", CALLS)))
    fig.add(Result("token_requests.client", client_delta, target=("==", 1)))
    fig.add(Result("token_requests.server", server_delta, target=("==", 1)))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
