"""A local OpenAI-compatible server found on loopback when neither a key nor a base URL is set:
one models request per usual port, the first that answers named on the home screen and
offered with its model, nothing else sent before the user accepts."""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from textual.widgets import OptionList
from textual.widgets._toast import Toast

from bench.llm_server import FakeLLM
from mlsd.llm.local_servers import KNOWN, Known, find_local_server
from mlsd.sessions.service import Service, load_catalog
from mlsd.sessions.settings import load_settings
from mlsd.tui.app import MlsdApp
from mlsd.tui.screens.home import HomeScreen
from mlsd.tui.screens.local_llm import LocalServerScreen

from app_helpers import make_app, practice_ready, until


def port_of(llm: FakeLLM) -> int:
    return int(llm.base_url.rsplit(":", 1)[1].split("/")[0])


def closed_port() -> int:
    """A port nothing listens on: bound, then let go."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_usual_ports_are_ollama_lm_studio_and_llama_cpp():
    assert [(k.name, k.port) for k in KNOWN] == [("Ollama", 11434), ("LM Studio", 1234), ("llama.cpp server", 8080)]


def test_the_first_server_that_answers_is_found_with_its_models():
    with FakeLLM(models=("llama3.1", "qwen2.5")) as llm:
        found = find_local_server([Known("Ollama", closed_port()), Known("LM Studio", port_of(llm))])
    assert found is not None and found.name == "LM Studio" and found.models == ("llama3.1", "qwen2.5")
    assert found.base_url == f"http://127.0.0.1:{port_of(llm)}/v1" and found.model == "llama3.1"
    assert llm.seen == ["GET /v1/models"]  # one quick models request, nothing more


def test_nothing_is_found_where_nothing_listens():
    assert find_local_server([Known("Ollama", closed_port())]) is None
    assert find_local_server([]) is None


def test_a_server_that_is_not_an_llm_server_is_passed_over():
    class NotOpenAI(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html>hello</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert find_local_server([Known("llama.cpp server", server.server_address[1])]) is None
    finally:
        server.shutdown()
        server.server_close()


async def offered(pilot) -> None:
    """Wait for the home screen to find the server, then ask for its offer."""
    home = pilot.app.screen
    await until(pilot, lambda: isinstance(home, HomeScreen) and home.local is not None)
    await pilot.press("l")
    await until(pilot, lambda: isinstance(pilot.app.screen, LocalServerScreen))


async def test_the_home_screen_names_the_server_it_found_and_sends_nothing_until_accepted():
    with FakeLLM(models=("llama3.1", "qwen2.5")) as llm:
        app, _ = make_app(local_servers=[Known("Ollama", port_of(llm))])
        async with app.run_test(size=(100, 32)) as pilot:
            home = app.screen
            await until(pilot, lambda: isinstance(home, HomeScreen) and home.local is not None)
            head = str(home.query_one("#home-head").render())
            assert f"Ollama found on :{port_of(llm)} (llama3.1) · l to use it" in head
            assert app.service.settings.backend == "offline" and llm.seen == ["GET /v1/models"]
            await offered(pilot)
            await pilot.press("down", "enter")  # the second model
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            s = app.service.settings
            assert (s.backend, s.base_url, s.model) == ("openai", llm.base_url, "qwen2.5")
            assert s.endpoint().label == f"qwen2.5@127.0.0.1:{port_of(llm)}"
            assert "interviewer: qwen2.5@127.0.0.1" in str(home.query_one("#home-head").render())
            assert llm.seen == ["GET /v1/models"]  # accepted: still nothing sent until an interview asks


async def test_model_names_are_shown_as_they_are_and_unprintable_ones_passed_over():
    with FakeLLM(models=("\x1b[2Jwipe", "evil[/b]", "x[link=https://e.example]y")) as llm:
        app, _ = make_app(local_servers=[Known("Ollama", port_of(llm))])
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            await offered(pilot)
            shown = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
            assert shown == ["evil[/b]", "x[link=https://e.example]y"]
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.service.settings.model == "evil[/b]"
            assert "interviewer: evil[/b]@127.0.0.1" in str(app.screen.query_one("#home-head").render())
            # The notice of the accepted server names it as it is.
            await until(pilot, lambda: any("evil[/b]" in str(t.render()) for t in app.screen.query(Toast)))


async def test_escape_keeps_the_offline_interviewer():
    with FakeLLM(models=("llama3.1",)) as llm:
        app, _ = make_app(local_servers=[Known("Ollama", port_of(llm))])
        async with app.run_test() as pilot:
            await offered(pilot)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.service.settings.backend == "offline" and llm.seen == ["GET /v1/models"]


async def test_an_accepted_server_is_the_interviewer_of_the_next_session():
    with FakeLLM(models=("llama3.1",)) as llm:
        app, _ = make_app(local_servers=[Known("Ollama", port_of(llm))])
        async with app.run_test() as pilot:
            home = app.screen
            await until(pilot, lambda: home.local is not None)
            app.use_local_server(home.local, "llama3.1")
            await pilot.press("enter")  # start a session on the first case
            await practice_ready(pilot)
            assert app.screen.label.startswith("llama3.1@127.0.0.1")
            await until(pilot, lambda: "POST /v1/chat/completions" in llm.seen)  # the opening question


def test_with_a_key_or_a_base_url_or_when_the_config_says_no_nothing_is_looked_for(isolated_home, monkeypatch):
    isolated_home.mkdir(parents=True)

    def looking(env: dict[str, str], config: str = "") -> bool:
        (isolated_home / "config.toml").write_text(config)
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MLSD_MODEL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = load_settings()
        return bool(MlsdApp(Service(settings, load_catalog(settings))).local_servers)

    assert looking({})
    assert not looking({"OPENAI_API_KEY": "sk-x"})
    assert not looking({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "MLSD_MODEL": "m"})
    assert not looking({}, "local_servers = false\n")
    assert not looking({}, 'backend = "offline"\n')  # offline chosen on purpose
