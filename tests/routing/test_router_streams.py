"""Streams through the router: failover before the first content event, a clear error
after it, and accounting when the stream ends however it ends."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx2
import pytest

from routing import Outcome, Router, StreamInterrupted
from smoke_tests.emulator import Emulator, Fault
from tests.routing.conftest import MESSAGES

MakeRouter = Callable[..., Router]


def test_a_stream_yields_the_sdk_events_and_the_final_message(
    make_router: MakeRouter, names: list[str]
) -> None:
    with make_router().stream(tier="haiku", max_tokens=16, messages=MESSAGES) as stream:
        types = [event.type for event in stream]
        message = stream.get_final_message()
    assert stream.path.name == names[0]
    assert types[0] == "message_start" and types[-1] == "message_stop"
    assert "content_block_delta" in types and "text" in types
    assert message.content[0].text.startswith("Emulated reply")
    assert stream.attempts[-1].outcome is Outcome.OK
    assert stream.attempts[-1].output_tokens == message.usage.output_tokens


def test_a_stream_failing_before_content_fails_over(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(error_status=529))
    emu.set_fault(names[1], Fault(cut_after_events=1))  # breaks after message_start
    with make_router().stream(tier="haiku", max_tokens=16, messages=MESSAGES) as stream:
        text = "".join(stream.text_stream)
    assert stream.path.name == names[2]
    assert names[2] in text
    first, second, served = stream.attempts
    assert (first.category, first.status) == ("overloaded", 529)
    assert (second.path, second.category) == (names[1], "stream-broken")
    assert served.outcome is Outcome.OK and served.stream


def test_a_stream_broken_after_content_raises_with_what_arrived(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[2], Fault(cut_after_events=4))
    received: list[str] = []
    with (
        pytest.raises(StreamInterrupted) as raised,
        make_router().stream(
            tier="haiku", pin=names[2], max_tokens=64, messages=MESSAGES
        ) as stream,
    ):
        for event in stream:
            if event.type == "content_block_delta":
                received.append(event.delta.text)
    error = raised.value
    assert error.path == names[2]
    assert error.characters == len("".join(received)) > 0
    assert 3 <= error.events <= 4
    assert error.failure.category.value == "stream-broken"
    assert f"{error.events} events" in str(error) and names[2] in str(error)
    assert stream.attempts[-1].outcome is Outcome.INTERRUPTED
    assert emu.stats()[names[3]]["requests"] == 0 or all(
        attempt.path != names[3] for attempt in stream.attempts
    ), "a stream that has started is never restarted elsewhere"


def test_an_interrupted_stream_counts_as_a_path_failure(
    emu: Emulator, make_router: MakeRouter, names: list[str]
) -> None:
    emu.set_fault(names[0], Fault(cut_after_events=4))
    router = make_router(breaker_threshold=2)
    for _ in range(2):
        with (
            pytest.raises(StreamInterrupted),
            router.stream(tier="haiku", max_tokens=64, messages=MESSAGES) as stream,
        ):
            stream.until_done()
    assert router.health()[names[0]].state.value == "open"


def test_closing_a_stream_early_is_accounted(
    make_router: MakeRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="claude_access.routing")
    with make_router().stream(tier="haiku", max_tokens=64, messages=MESSAGES) as stream:
        next(iter(stream))
    events = [record.event for record in caplog.records if hasattr(record, "event")]
    assert [event["outcome"] for event in events] == ["closed-early"]
    assert events[0]["stream"] is True


def test_streams_refuse_a_model_parameter(make_router: MakeRouter) -> None:
    with pytest.raises(ValueError, match="model"):
        make_router().stream(tier="haiku", model="x", max_tokens=8, messages=MESSAGES)


class _CleanCut(httpx2.BaseTransport):
    """Ends every streamed answer cleanly just before its ``message_stop`` event."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self._inner.handle_request(request)
        body = response.read()
        if b"event: message_stop" in body:
            body = body[: body.index(b"event: message_stop")]
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx2.Response(response.status_code, headers=headers, content=body)

    def close(self) -> None:
        self._inner.close()


def test_a_stream_that_ends_without_message_stop_is_not_a_silent_truncation(
    make_router: MakeRouter, names: list[str]
) -> None:
    router = make_router(wrap_transport=lambda entry, inner: _CleanCut(inner))
    with (
        pytest.raises(StreamInterrupted, match="message_stop") as raised,
        router.stream(tier="haiku", pin=names[2], max_tokens=16, messages=MESSAGES) as stream,
    ):
        stream.until_done()
    assert raised.value.characters > 0
    assert stream.attempts[-1].outcome is Outcome.INTERRUPTED


def test_a_stream_counts_every_raw_event_and_character_it_received(
    make_router: MakeRouter,
) -> None:
    raw = {
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    }
    with make_router().stream(tier="haiku", max_tokens=16, messages=MESSAGES) as stream:
        events = list(stream)
    text = "".join(event.delta.text for event in events if event.type == "content_block_delta")
    assert stream.events_received == sum(1 for event in events if event.type in raw)
    assert stream.characters_received == len(text) > 0
