"""A network the test can cut: a TCP relay between the browser and the live server.

DevTools' offline emulation (Network.emulateNetworkConditions) covers the page's own
target: `navigator.onLine` turns false and the page's requests fail. A service worker is
another target, and its fetches are not covered by the page's emulation, so a journey
that only emulated would let the worker reach the server and prove nothing. The browser
therefore talks to the server only through this relay; cutting it closes every
connection and refuses new ones, for the page and the worker alike, like a phone that
lost its signal. The journeys do both: the relay for the network, the emulation for
what the page believes (the `offline` and `online` events).

It can also lose one answer: forward a request, let the server answer it (and so write),
then drop the connection before the answer reaches the browser, like a timeout on a
weak signal; and refuse some requests while letting the others through.
"""

import contextlib
import socket
import threading
from typing import Any


class Relay:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.up = True
        self._lose: bytes | None = None
        self._refused: bytes | None = None
        self.lost = threading.Event()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        """No signal: every open connection closes, new ones are refused."""
        self.up = False
        with self._lock:
            for s in list(self._open):
                _close(s)
            self._open.clear()

    def restore(self) -> None:
        self.up = True

    def lose_answer_to(self, request_line_start: bytes) -> None:
        """The next request whose first line starts so reaches the server; its answer
        never reaches the browser."""
        self.lost.clear()
        self._lose = request_line_start

    def refuse(self, request_line_start: bytes | None) -> None:
        """Requests whose first line starts so never reach the server (None: all pass),
        as when only the API's host is unreachable."""
        self._refused = request_line_start

    def stop(self) -> None:
        self._stopped = True
        self.cut()
        _close(self.listener)

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.up:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._open.update((client, server))
            state = {"losing": False}
            threading.Thread(
                target=self._upstream, args=(client, server, state), daemon=True
            ).start()
            threading.Thread(
                target=self._downstream, args=(server, client, state), daemon=True
            ).start()

    def _upstream(
        self, client: socket.socket, server: socket.socket, state: dict[str, Any]
    ) -> None:
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                data = b""
            if not data or not self.up:
                break
            if self._refused is not None and data.startswith(self._refused):
                break
            if self._lose is not None and data.startswith(self._lose):
                self._lose = None
                state["losing"] = True
            try:
                server.sendall(data)
            except OSError:
                break
        if not state["losing"]:
            self._drop(client, server)

    def _downstream(
        self, server: socket.socket, client: socket.socket, state: dict[str, Any]
    ) -> None:
        while True:
            try:
                data = server.recv(65536)
            except OSError:
                data = b""
            if not data or not self.up:
                break
            if state["losing"]:
                # The server has answered, so it has written: the browser never hears it.
                self.lost.set()
                break
            try:
                client.sendall(data)
            except OSError:
                break
        self._drop(client, server)

    def _drop(self, *sockets: socket.socket) -> None:
        with self._lock:
            for s in sockets:
                self._open.discard(s)
                _close(s)


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()
