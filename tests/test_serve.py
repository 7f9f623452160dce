"""`oferta serve` runs the background-job worker beside the web server, so a demo's imports,
routing runs and reports do not stay queued."""

from __future__ import annotations

from typer.testing import CliRunner

from oferta import cli

runner = CliRunner()


class FakeProcess:
    def __init__(self, command, env):
        self.command = command
        self.terminated = False
        FakeProcess.started.append(self)

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


def test_serve_starts_the_worker_and_stops_it_with_the_server(monkeypatch):
    # given a server that returns at once and a recorded subprocess
    import waitress

    FakeProcess.started = []
    served = []
    monkeypatch.setattr(cli.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.append(kw))

    # when the app is served
    result = runner.invoke(cli.app, ["serve", "--port", "8123"])

    # then the worker ran beside it and was stopped when the server returned
    assert result.exit_code == 0, result.output
    assert served
    assert served[0]["port"] == 8123
    (process,) = FakeProcess.started
    assert process.command[-2:] == ["db_worker", "--no-reload"]
    assert process.terminated


def test_serve_without_worker_starts_none(monkeypatch):
    import waitress

    FakeProcess.started = []
    monkeypatch.setattr(cli.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: None)

    result = runner.invoke(cli.app, ["serve", "--no-worker"])

    assert result.exit_code == 0, result.output
    assert FakeProcess.started == []
