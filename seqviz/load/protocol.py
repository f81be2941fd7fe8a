"""A Streamlit session without a browser, spoken in Streamlit's own protocol: the websocket a browser opens
(`/_stcore/stream`), the BackMsg it sends to run a page or change a widget, and the ForwardMsgs the server
streams back until the script run ends. A session knows the widgets the page drew (by their keys), so it can
type into a text box, click a button or move a slider as a browser would; each interaction is timed from the
message sent to the script run finished."""

from __future__ import annotations

import asyncio
import urllib.request
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect  # websockets comes with Streamlit (its server uses it)

# element kinds whose proto carries the widget's id (those a load scenario drives)
FINISHED = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")  # a whole page, or a fragment of it
WIDGETS = ("text_input", "text_area", "button", "slider", "number_input", "checkbox", "selectbox", "radio")


@dataclass
class Run:
    """What a session saw while one script run went by."""

    action: str  # "open Masks", "type sentence", ...
    page: str = ""  # the page's URL path ("" for the home page)
    query: str = ""  # its query string
    finished: str = ""  # the ScriptFinishedStatus name, "" if the run never finished
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of each exception box
    title: str = ""  # the browser tab's title the page set
    elements: Counter = field(default_factory=Counter)  # element kind -> how many the run drew
    texts: list[str] = field(default_factory=list)  # the markdown and the alerts the run wrote, in order
    seconds: float = 0.0  # message sent -> script run finished

    @property
    def ok(self) -> bool:
        return self.finished in FINISHED and not self.exceptions


def stream_url(server: str) -> str:
    return server.replace("http://", "ws://", 1).replace("https://", "wss://", 1).rstrip("/") + "/_stcore/stream"


def first_request(server: str) -> tuple[str, str]:
    """A browser's first request: the cookies the server sets, as a Cookie header ("" for none; behind nginx,
    the one that keeps this session on its replica, seqviz/deploy/nginx.py), and which replica answered
    ("" without nginx)."""
    with urllib.request.urlopen(f"{server.rstrip('/')}/_stcore/health", timeout=60) as response:
        cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
        return cookies, response.headers.get("X-Seqviz-Replica", "")


def user_key(widget_id: str) -> str | None:
    """The key a page gave a widget, from its id ("$$ID-<hash>-<key>"; "None" when it has none)."""
    key = widget_id.split("-", maxsplit=2)[-1]
    return None if key == "None" else key


def rerun_message(page: str, query: str = "", states: Iterable[WidgetState] = (), fragment: str = "") -> bytes:
    """What a browser sends to run a page (its URL path, "" for the home page, and query string), with the
    widget values it holds; a widget drawn inside a fragment reruns that fragment alone."""
    message = BackMsg()
    message.rerun_script.page_name = page
    message.rerun_script.query_string = query
    message.rerun_script.widget_states.widgets.extend(states)
    message.rerun_script.fragment_id = fragment
    return message.SerializeToString()


def note(run: Run, message: ForwardMsg, widgets: dict[str, str], fragments: dict[str, str] | None = None) -> bool:
    """Note one ForwardMsg in the run (and a drawn widget's id under its key, and the fragment it was drawn in);
    True once the run has ended."""
    kind = message.WhichOneof("type")
    if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
        element = message.delta.new_element
        element_kind = element.WhichOneof("type")
        run.elements[element_kind] += 1
        if element_kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif element_kind == "markdown":
            run.texts.append(element.markdown.body)
        elif element_kind == "alert":  # st.info, st.warning, st.error, st.success
            run.texts.append(element.alert.body)
        elif element_kind in WIDGETS:
            widget_id = getattr(element, element_kind).id
            if user_key(widget_id) is not None:
                widgets[user_key(widget_id)] = widget_id
                if fragments is not None:
                    fragments[user_key(widget_id)] = message.delta.fragment_id
    elif kind == "page_config_changed" and message.page_config_changed.title:
        run.title = message.page_config_changed.title
    elif kind == "script_finished":
        status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
        if status != "FINISHED_EARLY_FOR_RERUN":  # a rerun started: its own end is the one that counts
            run.finished = status
            return True
    return False


class Session:
    """One browser's worth of Streamlit: `async with Session(url) as s: await s.open("Masks")`, then
    `await s.type("sentence", "the cat sleeps")`, `await s.click("ar_next")`, `await s.set_slider(...)`.
    Widget values it set are sent again with every later run, as a browser keeps them."""

    def __init__(self, server: str, timeout_s: float = 240):
        self.server, self.timeout_s = server, timeout_s
        self.page, self.query = "", ""
        self.widgets: dict[str, str] = {}  # key -> widget id, as the page last drew them
        self.fragments: dict[str, str] = {}  # key -> the fragment that drew the widget ("" for none)
        self.values: dict[str, WidgetState] = {}  # widget id -> the value this session gave it
        self.socket = None
        self.replica = ""  # behind nginx: the replica's address (host:port) that serves this session

    async def __aenter__(self) -> Session:
        cookies, self.replica = await asyncio.to_thread(first_request, self.server)
        headers = {"Cookie": cookies} if cookies else {}
        options = {"subprotocols": ["streamlit"], "max_size": None, "open_timeout": 60, "additional_headers": headers}
        self.socket = await connect(stream_url(self.server), **options)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def _run(self, action: str, trigger: WidgetState | None = None, key: str = "") -> Run:
        states = [*self.values.values(), *([trigger] if trigger is not None else [])]
        run = Run(action, self.page, self.query)
        loop = asyncio.get_running_loop()
        start = loop.time()
        await self.socket.send(rerun_message(self.page, self.query, states, self.fragments.get(key, "")))
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(self.socket.recv(), self.timeout_s - (loop.time() - start)))
            if note(run, message, self.widgets, self.fragments):
                run.seconds = loop.time() - start
                return run

    async def open(self, page: str, query: str = "") -> Run:
        """Open a page by its URL path ("" for the home page), as a link does: widget values start afresh."""
        self.page, self.query, self.values, self.widgets, self.fragments = page, query, {}, {}, {}
        return await self._run(f"open {page or 'home'}")

    def _state(self, key: str) -> WidgetState:
        if key not in self.widgets:
            raise KeyError(f"the page drew no widget with the key {key!r}; it drew: {sorted(self.widgets)}")
        return WidgetState(id=self.widgets[key])

    async def type(self, key: str, text: str) -> Run:
        state = self._state(key)
        state.string_value = text
        self.values[state.id] = state
        return await self._run(f"type {key}", key=key)

    async def set_slider(self, key: str, *values: float) -> Run:
        state = self._state(key)
        state.double_array_value.data.extend(values)
        self.values[state.id] = state
        return await self._run(f"slide {key}", key=key)

    async def choose(self, key: str, *options: str) -> Run:
        """A select slider (or a multiselect) set to these options, named as the widget shows them."""
        state = self._state(key)
        state.string_array_value.data.extend(options)
        self.values[state.id] = state
        return await self._run(f"choose {key}", key=key)

    async def set_number(self, key: str, value: float) -> Run:
        state = self._state(key)
        state.double_value = value
        self.values[state.id] = state
        return await self._run(f"number {key}", key=key)

    async def click(self, key: str) -> Run:
        state = self._state(key)
        state.trigger_value = True  # sent once: a button is pressed for one run only
        return await self._run(f"click {key}", state, key)


async def open_together(server: str, pages: list[tuple[str, str]], timeout_s: float = 240) -> list[Run]:
    """Every (page, query) in its own session: all connect first, then ask for their page at one instant."""
    barrier = asyncio.Barrier(len(pages))

    async def one(page: str, query: str) -> Run:
        async with Session(server, timeout_s) as session:
            await barrier.wait()
            return await session.open(page, query)

    return await asyncio.gather(*(one(page, query) for page, query in pages))


def run_sessions(coroutine):
    """Run the sessions' coroutine to its end in a thread of its own: the caller's thread may already hold an
    event loop (Playwright's sync API keeps one), and asyncio.run refuses to start a second there."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
