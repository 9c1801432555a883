"""A small OpenAI-compatible chat-completions server on 127.0.0.1 for end-to-end tests and
benchmarks: SSE streaming, scripted failures and a required key, standard library only."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    def __init__(self, key: str | None = None, models: tuple[str, ...] = ("test-model",), words_per_chunk: int = 1,
                 chunk_delay: float = 0.0, first_token_delay: float = 0.0) -> None:
        self.key, self.models = key, models
        self.words_per_chunk, self.chunk_delay, self.first_token_delay = words_per_chunk, chunk_delay, first_token_delay
        self.fail_next: list[int] = []   # status codes to answer the next requests with
        self.cut_next: list[int] = []    # streams to close after this many chunks, with no end marker
        self.requests: list[dict] = []
        self.seen: list[str] = []  # "GET /v1/models", "POST /v1/chat/completions": every request, in order
        self.headers: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply_for(self, body: dict) -> str:
        last = next((m["content"] for m in reversed(body["messages"]) if m["role"] == "user"), "")
        words = last.split()[:6]
        return f"Thanks. You said: {' '.join(words)}. Can you walk me through how that works at our scale?"

    def _handler(self):
        llm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _json(self, status: int, data: dict) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                llm.seen.append(f"GET {self.path}")
                self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in llm.models]})

            def do_POST(self) -> None:
                llm.seen.append(f"POST {self.path}")
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                llm.requests.append(body)
                llm.headers.append(dict(self.headers))
                if llm.key and self.headers.get("Authorization") != f"Bearer {llm.key}":
                    return self._json(401, {"error": {"message": "Incorrect API key provided",
                                                      "type": "invalid_request_error"}})
                if body.get("model") not in llm.models:
                    return self._json(404, {"error": {"message": f"model {body.get('model')} not found"}})
                if llm.fail_next:
                    status = llm.fail_next.pop(0)
                    return self._json(status, {"error": {"message": f"scripted {status}"}})
                text = llm.reply_for(body)
                if not body.get("stream"):
                    return self._json(200, {"id": "c1", "object": "chat.completion", "created": 0,
                                            "model": body["model"],
                                            "choices": [{"index": 0, "finish_reason": "stop",
                                                         "message": {"role": "assistant", "content": text}}]})
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                time.sleep(llm.first_token_delay)
                words = text.split(" ")
                step = llm.words_per_chunk
                pieces = [" ".join(words[i:i + step]) + " " for i in range(0, len(words), step)]
                cut = llm.cut_next.pop(0) if llm.cut_next else None
                for n, piece in enumerate(pieces):
                    if n == cut:
                        self.close_connection = True  # as a proxy or a crashed server would
                        return
                    if n:
                        time.sleep(llm.chunk_delay)
                    self._event({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}, body)
                self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}, body)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

            def _event(self, data: dict, body: dict) -> None:
                data = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body["model"], **data}
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

        return Handler
