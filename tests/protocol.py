"""A Streamlit session without a browser: the websocket a browser opens (`/_stcore/stream`), the BackMsg it
sends to run a page, the ForwardMsgs that come back. Light enough that sixteen sessions can be released
by one barrier in a single event loop, so their script runs start on the server at the same instant."""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect


@dataclass
class PageRun:
    """What one session saw while one page ran."""

    page: str
    query: str
    finished: str = ""  # the ScriptFinishedStatus name, "" if the run never finished
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of each exception box
    title: str = ""  # the browser tab's title the page set
    elements: Counter = field(default_factory=Counter)  # element kind -> how many the page drew
    seconds: float = 0.0  # rerun sent -> script finished


def stream_url(server: str) -> str:
    return server.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"


def rerun_message(page: str, query: str = "") -> bytes:
    """What a browser sends to run a page: its URL path ("" for the home page) and query string."""
    message = BackMsg()
    message.rerun_script.page_name = page
    message.rerun_script.query_string = query
    return message.SerializeToString()


async def read_run(socket, run: PageRun, timeout_s: float) -> PageRun:
    """Read ForwardMsgs until the script run ends, noting every exception box and element drawn."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(socket.recv(), timeout_s - (loop.time() - start)))
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            run.elements[element.WhichOneof("type")] += 1
            if element.WhichOneof("type") == "exception":
                run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "page_config_changed" and message.page_config_changed.title:
            run.title = message.page_config_changed.title
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
            if status != "FINISHED_EARLY_FOR_RERUN":
                run.finished, run.seconds = status, loop.time() - start
                return run


async def open_page(
    server: str, page: str, query: str = "", *, barrier: asyncio.Barrier | None = None, timeout_s: float = 240
) -> PageRun:
    """One session opens one page; with a barrier, it connects first and asks for the page only when every
    session sharing the barrier is connected."""
    run = PageRun(page, query)
    async with connect(stream_url(server), subprotocols=["streamlit"], max_size=None, open_timeout=60) as socket:
        if barrier is not None:
            await barrier.wait()
        await socket.send(rerun_message(page, query))
        return await read_run(socket, run, timeout_s)


async def open_together(server: str, pages: list[tuple[str, str]], timeout_s: float = 240) -> list[PageRun]:
    """Every (page, query) in its own session, all released at one instant."""
    barrier = asyncio.Barrier(len(pages))
    return await asyncio.gather(
        *(open_page(server, page, query, barrier=barrier, timeout_s=timeout_s) for page, query in pages)
    )


def run_sessions(coroutine):
    """Run the sessions' coroutine to its end in a thread of its own: pytest's thread may already hold an event
    loop (Playwright's sync API keeps one), and asyncio.run refuses to start a second there."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
