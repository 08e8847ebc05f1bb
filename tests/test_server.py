"""The simulator's HTTP server: answers written in one piece, 100 Continue still sent at once."""

from __future__ import annotations

import socket

from xmock.simulator.server import ServerThread, _OneWritePerResponse


class FakeTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return False


def test_headers_wait_for_the_body_and_leave_with_it():
    raw = FakeTransport()
    t = _OneWritePerResponse(raw)  # type: ignore[arg-type]
    t.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    assert raw.writes == []
    t.write(b"{}")
    assert raw.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]
    assert t.is_closing() is False  # everything else is the real transport's


def test_an_answer_without_body_bytes_leaves_when_the_response_completes():
    raw = FakeTransport()
    t = _OneWritePerResponse(raw)  # type: ignore[arg-type]
    t.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    t.flush()
    t.flush()
    assert raw.writes == [b"HTTP/1.1 204 No Content\r\n\r\n"]


def test_100_continue_and_whole_answers_pass_straight_through():
    raw = FakeTransport()
    t = _OneWritePerResponse(raw)  # type: ignore[arg-type]
    t.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    t.write(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad")
    assert raw.writes == [b"HTTP/1.1 100 Continue\r\n\r\n", b"HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad"]


def test_a_client_that_expects_100_continue_gets_it_and_then_its_answer():
    body = b'{"text": "hello"}'
    with ServerThread() as server, socket.create_connection((server.host, server.port), timeout=10) as s:
        s.sendall(
            b"POST /2/tweets HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
            b"Expect: 100-continue\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        assert s.recv(1024).startswith(b"HTTP/1.1 100 Continue")
        s.sendall(body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += s.recv(4096)
        assert answer.startswith(b"HTTP/1.1 401 ")  # unsigned, but answered
