"""The real mlflow client against Cairn: tracking, proxied artifacts and error parity."""
import math
import os
import uuid

import mlflow
import pytest
from mlflow.exceptions import MlflowException
from mlflow.entities import Metric, Param, RunTag


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_experiment_and_nested_runs(client):
    exp = mlflow.set_experiment(_name("exp"))
    assert exp.artifact_location == f"mlflow-artifacts:/{exp.experiment_id}"
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child", nested=True) as child:
            pass
    got = client.get_run(child.info.run_id)
    assert got.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert got.info.run_name == "child"
    assert got.info.status == "FINISHED"
    assert client.get_experiment_by_name(exp.name).experiment_id == exp.experiment_id


def test_params_metrics_tags(client):
    mlflow.set_experiment(_name("log"))
    with mlflow.start_run() as run:
        mlflow.log_param("lr", 0.1)
        mlflow.log_params({"depth": 3, "opt": "adam"})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"acc": 0.9, "nan": float("nan"), "inf": float("inf")}, step=1)
        mlflow.set_tag("team", "ml")
        mlflow.set_tags({"a": "1", "b": "2"})
    data = client.get_run(run.info.run_id).data
    assert data.params == {"lr": "0.1", "depth": "3", "opt": "adam"}
    assert data.metrics["loss"] == pytest.approx(0.2)
    assert math.isnan(data.metrics["nan"]) and data.metrics["inf"] == math.inf
    assert data.tags["team"] == "ml" and data.tags["a"] == "1"
    history = client.get_metric_history(run.info.run_id, "loss")
    assert [m.step for m in history] == [0, 1, 2, 3, 4]
    assert [m.value for m in history] == pytest.approx([1.0 / (s + 1) for s in range(5)])


def test_log_batch_and_delete_tag(client):
    exp_id = client.create_experiment(_name("batch"))
    run = client.create_run(exp_id)
    rid = run.info.run_id
    metrics = [Metric("m", float(i), 1_700_000_000_000 + i, i) for i in range(10_000)]
    client.log_batch(rid, metrics=metrics, params=[Param("p", "v")], tags=[RunTag("t", "x")])
    assert len(client.get_metric_history(rid, "m")) == 10_000
    client.delete_tag(rid, "t")
    assert "t" not in client.get_run(rid).data.tags
    client.set_terminated(rid)


def test_artifacts_round_trip(client, tmp_path):
    mlflow.set_experiment(_name("art"))
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"alpha\n")
    (folder / "sub" / "b.json").write_bytes(b'{"b": 2}')
    single = tmp_path / "blob.bin"
    single.write_bytes(os.urandom(100_000))
    with mlflow.start_run() as run:
        assert run.info.artifact_uri.startswith("mlflow-artifacts:/")
        mlflow.log_artifact(str(single))
        mlflow.log_artifacts(str(folder), artifact_path="data")
        mlflow.log_text("hello", "notes/hello.txt")
    rid = run.info.run_id
    top = sorted((f.path, f.is_dir) for f in client.list_artifacts(rid))
    assert top == [("blob.bin", False), ("data", True), ("notes", True)]
    assert [f.path for f in client.list_artifacts(rid, "data/sub")] == ["data/sub/b.json"]
    out = mlflow.artifacts.download_artifacts(run_id=rid, dst_path=str(tmp_path / "dl"))
    assert open(os.path.join(out, "blob.bin"), "rb").read() == single.read_bytes()
    assert open(os.path.join(out, "data", "sub", "b.json"), "rb").read() == b'{"b": 2}'
    assert open(os.path.join(out, "notes", "hello.txt")).read() == "hello"
    one = mlflow.artifacts.download_artifacts(run_id=rid, artifact_path="data/a.txt", dst_path=str(tmp_path / "one"))
    assert open(one, "rb").read() == b"alpha\n"


def test_search_runs_filter_order_pages(client):
    exp_id = client.create_experiment(_name("search"))
    for i in range(7):
        r = client.create_run(exp_id, run_name=f"r{i}", tags={"kind": "even" if i % 2 == 0 else "odd"})
        client.log_metric(r.info.run_id, "score", float(i))
        client.log_param(r.info.run_id, "i", str(i))
    found = client.search_runs([exp_id], "metrics.score > 2 and tags.kind = 'even'", order_by=["metrics.score DESC"])
    assert [r.data.metrics["score"] for r in found] == [6.0, 4.0]
    seen, token, pages = [], None, 0
    while True:
        page = client.search_runs([exp_id], "", order_by=["metrics.score ASC"], max_results=3, page_token=token)
        seen += [r.data.params["i"] for r in page]
        pages += 1
        token = page.token
        if not token:
            break
    assert pages == 3 and seen == [str(i) for i in range(7)]
    only = client.search_runs([exp_id], filter_string="params.i = '3' and attributes.run_name = 'r3'")
    assert [r.info.run_name for r in only] == ["r3"]


def test_delete_and_restore_run(client):
    exp_id = client.create_experiment(_name("life"))
    rid = client.create_run(exp_id).info.run_id
    client.delete_run(rid)
    assert client.get_run(rid).info.lifecycle_stage == "deleted"
    assert client.search_runs([exp_id]) == []
    from mlflow.entities import ViewType
    assert len(client.search_runs([exp_id], run_view_type=ViewType.DELETED_ONLY)) == 1
    client.restore_run(rid)
    assert client.get_run(rid).info.lifecycle_stage == "active"


def test_experiment_lifecycle_and_tags(client):
    name = _name("exp-life")
    exp_id = client.create_experiment(name, tags={"owner": "me"})
    client.set_experiment_tag(exp_id, "stage", "dev")
    client.rename_experiment(exp_id, name + "-renamed")
    exp = client.get_experiment(exp_id)
    assert exp.name == name + "-renamed" and exp.tags["stage"] == "dev" and exp.tags["owner"] == "me"
    assert any(e.experiment_id == exp_id for e in client.search_experiments(filter_string=f"name = '{exp.name}'"))
    client.delete_experiment(exp_id)
    assert client.get_experiment(exp_id).lifecycle_stage == "deleted"
    client.restore_experiment(exp_id)
    assert client.get_experiment(exp_id).lifecycle_stage == "active"


def _code(excinfo):
    return excinfo.value.error_code


def test_error_parity(client):
    with pytest.raises(MlflowException) as e:
        client.get_run("0" * 32)
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    name = _name("dup")
    client.create_experiment(name)
    with pytest.raises(MlflowException) as e:
        client.create_experiment(name)
    assert _code(e) == "RESOURCE_ALREADY_EXISTS"
    exp_id = client.get_experiment_by_name(name).experiment_id
    rid = client.create_run(exp_id).info.run_id
    client.log_param(rid, "p", "1")
    with pytest.raises(MlflowException) as e:
        client.log_param(rid, "p", "2")
    assert _code(e) == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as e:
        client.search_runs([exp_id], "metrics.x >>> 1")
    assert _code(e) == "INVALID_PARAMETER_VALUE"


def test_log_inputs(client):
    from mlflow.entities import Dataset, DatasetInput, InputTag

    exp_id = client.create_experiment(_name("inputs"))
    rid = client.create_run(exp_id).info.run_id
    ds = Dataset(name="iris", digest="abc123", source_type="http", source='{"url": "https://x/iris.csv"}')
    client.log_inputs(rid, [DatasetInput(ds, tags=[InputTag("mlflow.data.context", "training")])])
    inputs = client.get_run(rid).inputs.dataset_inputs
    assert [(i.dataset.name, i.dataset.digest) for i in inputs] == [("iris", "abc123")]
    assert {t.key: t.value for t in inputs[0].tags}["mlflow.data.context"] == "training"


def test_fluent_log_input_from_pandas(client):
    import pandas as pd

    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
    dataset = mlflow.data.from_pandas(df, name="toy", targets="y")
    mlflow.set_experiment(_name("fluent-input"))
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
    [inp] = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert (inp.dataset.name, inp.dataset.digest, inp.dataset.source_type) == ("toy", dataset.digest, dataset.source._get_source_type())
    assert {t.key: t.value for t in inp.tags}["mlflow.data.context"] == "training"
    assert inp.dataset.schema == dataset.to_dict()["schema"]
    assert inp.dataset.profile == dataset.to_dict()["profile"]


def test_ajax_api_prefix(cairn_url):
    import json
    import urllib.request

    body = json.load(urllib.request.urlopen(cairn_url + "/ajax-api/2.0/mlflow/experiments/get?experiment_id=0"))
    assert body["experiment"]["name"] == "Default"
