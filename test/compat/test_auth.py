"""The real mlflow client against `cairn server --auth`: tokens and user/password map onto Cairn users."""
import os
import subprocess
import tempfile
import uuid

import pytest
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from conftest import ROOT, start_cairn

NODE = os.environ.get("CAIRN_NODE", "node")
CAIRN = os.path.join(ROOT, "bin", "cairn.js")


def _cairn(env, *args):
    return subprocess.run([NODE, CAIRN, *args], env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def auth_server():
    tmp = tempfile.mkdtemp(prefix="cairn-compat-auth-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    env["CAIRN_HOME"] = tmp
    db = os.path.join(tmp, "cairn.db")
    admin = _cairn(env, "users", "create", "ada", "--role", "admin", "--db", db)
    viewer = _cairn(env, "users", "create", "vic", "--role", "viewer", "--db", db)
    subprocess.run([NODE, CAIRN, "users", "passwd", "ada", "--db", db], env=env, input="a long test password", check=True, capture_output=True, text=True)
    url, proc = start_cairn(tmp, env, "--auth")
    yield {"url": url, "admin": admin, "viewer": viewer}
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def creds(monkeypatch, auth_server, tracking_uri):
    """Points mlflow (globally too: proxied artifact URIs resolve against it) at the auth server for one test."""
    import mlflow

    for k in ("MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", auth_server["url"])
    mlflow.set_tracking_uri(auth_server["url"])
    yield monkeypatch
    mlflow.set_tracking_uri(tracking_uri)


def test_bearer_token_logs_a_run_with_artifacts(auth_server, creds, tmp_path):
    creds.setenv("MLFLOW_TRACKING_TOKEN", auth_server["admin"])
    client = MlflowClient(tracking_uri=auth_server["url"])
    exp = client.create_experiment(f"auth-{uuid.uuid4().hex[:8]}")
    run = client.create_run(exp)
    client.log_param(run.info.run_id, "lr", "0.1")
    client.log_metric(run.info.run_id, "loss", 0.5)
    f = tmp_path / "model.txt"
    f.write_text("weights")
    client.log_artifact(run.info.run_id, str(f))
    assert [a.path for a in client.list_artifacts(run.info.run_id)] == ["model.txt"]
    assert client.get_run(run.info.run_id).data.params == {"lr": "0.1"}


def test_username_with_token_or_password(auth_server, creds):
    creds.setenv("MLFLOW_TRACKING_USERNAME", "ada")
    creds.setenv("MLFLOW_TRACKING_PASSWORD", auth_server["admin"])
    MlflowClient(tracking_uri=auth_server["url"]).create_experiment(f"basic-token-{uuid.uuid4().hex[:8]}")
    creds.setenv("MLFLOW_TRACKING_PASSWORD", "a long test password")
    MlflowClient(tracking_uri=auth_server["url"]).create_experiment(f"basic-pw-{uuid.uuid4().hex[:8]}")


def test_viewer_reads_but_cannot_write_and_anonymous_is_refused(auth_server, creds):
    creds.setenv("MLFLOW_TRACKING_TOKEN", auth_server["viewer"])
    client = MlflowClient(tracking_uri=auth_server["url"])
    assert len(client.search_experiments()) >= 1
    with pytest.raises(MlflowException) as denied:
        client.create_experiment(f"nope-{uuid.uuid4().hex[:8]}")
    assert "PERMISSION_DENIED" in str(denied.value) or "403" in str(denied.value)
    creds.delenv("MLFLOW_TRACKING_TOKEN")
    with pytest.raises(MlflowException) as anon:
        MlflowClient(tracking_uri=auth_server["url"]).search_experiments()
    assert "UNAUTHENTICATED" in str(anon.value) or "401" in str(anon.value)
