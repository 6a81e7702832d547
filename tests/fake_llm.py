"""A small OpenAI-compatible chat-completions server on loopback that replays scripted replies.

    server = FakeLLM().start()
    server.script(reply("```python\\n...\\n```"), status(429), reply("..."))
    settings = Settings(llm_base_url=server.url, llm_model="fake-model", ...)

Every request (path, lower-cased headers, JSON body) is recorded in `server.requests`.
Replies are used in order, one per HTTP request; each answers in JSON or, when the request asks for
`"stream": true`, as server-sent event chunks (with a usage chunk when the request sets
`stream_options.include_usage`). When the script runs out the server answers 500 with a
message saying so, so a test that asks more often than it scripted fails loudly.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    status: int = 200
    content: str = ""
    finish_reason: str = "stop"
    prompt_tokens: int = 120
    completion_tokens: int = 80
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""
    delay_s: float = 0.0


def reply(content: str, *, prompt_tokens: int = 120, completion_tokens: int = 80) -> Scripted:
    """A successful answer with this message content."""
    return Scripted(
        content=content, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
    )


def status(code: int, message: str = "", **headers: str) -> Scripted:
    """An error response (429, 500, 401…); retry hints go in headers (retry_after_ms="10")."""
    return Scripted(
        status=code,
        error=message or f"scripted error {code}",
        headers={k.replace("_", "-"): v for k, v in headers.items()},
    )


class FakeLLM:
    def __init__(self) -> None:
        self.replies: deque[Scripted] = deque()
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *replies: Scripted | str) -> FakeLLM:
        for item in replies:
            self.replies.append(reply(item) if isinstance(item, str) else item)
        return self

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"unparsed": raw.decode("utf-8", "replace")}
                with fake._lock:
                    fake.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                        }
                    )
                    scripted = fake.replies.popleft() if fake.replies else None
                if not self.path.endswith("/chat/completions"):
                    self._json(404, {"error": {"message": "not found", "type": "not_found"}})
                    return
                if scripted is None:
                    self._json(500, {"error": {"message": "no more scripted replies"}})
                    return
                if scripted.delay_s:
                    time.sleep(scripted.delay_s)
                if scripted.status != 200:
                    self._json(
                        scripted.status,
                        {"error": {"message": scripted.error, "type": "scripted", "code": None}},
                        scripted.headers,
                    )
                    return
                if body.get("stream"):
                    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                    self._stream(scripted, body.get("model", "fake"), include_usage)
                else:
                    self._json(200, _completion(scripted, body.get("model", "fake")))

            def _json(
                self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, scripted: Scripted, model: str, include_usage: bool) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()

                def event(payload: dict[str, Any] | str) -> None:
                    text = payload if isinstance(payload, str) else json.dumps(payload)
                    self.wfile.write(f"data: {text}\n\n".encode())
                    self.wfile.flush()

                base = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                }
                content = scripted.content
                pieces = [content[i : i + 40] for i in range(0, len(content), 40)] or [""]
                for index, piece in enumerate(pieces):
                    delta: dict[str, Any] = {"content": piece}
                    if index == 0:
                        delta["role"] = "assistant"
                    event(
                        {
                            **base,
                            "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                        }
                    )
                event(
                    {
                        **base,
                        "choices": [
                            {"index": 0, "delta": {}, "finish_reason": scripted.finish_reason}
                        ],
                    }
                )
                if include_usage:
                    event({**base, "choices": [], "usage": _usage(scripted)})
                event("[DONE]")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _usage(scripted: Scripted) -> dict[str, int]:
    return {
        "prompt_tokens": scripted.prompt_tokens,
        "completion_tokens": scripted.completion_tokens,
        "total_tokens": scripted.prompt_tokens + scripted.completion_tokens,
    }


def _completion(scripted: Scripted, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": scripted.content},
                "finish_reason": scripted.finish_reason,
            }
        ],
        "usage": _usage(scripted),
    }
