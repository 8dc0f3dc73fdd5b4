"""Starts a real Cairn server (the built bin/cairn.js) for the MLflow client to talk to."""
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cairn(tmp, env, *extra):
    """Starts `cairn server` over `tmp`/cairn.db and waits for /health; returns (url, process)."""
    port = _free_port()
    log = open(os.path.join(tmp, "server.log"), "wb")
    proc = subprocess.Popen(
        [os.environ.get("CAIRN_NODE", "node"), os.path.join(ROOT, "bin", "cairn.js"), "server", *extra,
         "--port", str(port), "--db", os.path.join(tmp, "cairn.db"), "--artifacts", os.path.join(tmp, "art")],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/api/v1/health", timeout=1).read()
            return url, proc
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("cairn server did not start:\n" + open(log.name).read())
            time.sleep(0.1)


@pytest.fixture(scope="session")
def cairn_url():
    tmp = tempfile.mkdtemp(prefix="cairn-compat-")
    url, proc = start_cairn(tmp, {**os.environ, "CAIRN_HOME": tmp})
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session", autouse=True)
def tracking_uri(cairn_url, tmp_path_factory):
    import mlflow

    os.environ["MLFLOW_TRACKING_URI"] = cairn_url
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    mlflow.set_tracking_uri(cairn_url)
    return cairn_url


@pytest.fixture
def client():
    from mlflow.tracking import MlflowClient

    return MlflowClient()
