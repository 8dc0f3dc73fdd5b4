"""The real mlflow client against Cairn: experiment search, artifact deletion,
multipart uploads, and scikit-learn models logged and loaded back (MLflow 3's
logged models under 3.x, run artifacts plus log-model metadata under 2.x)."""
import json
import os
import uuid

import mlflow
import numpy as np
import pytest
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository
from mlflow.store.artifact.http_artifact_repo import HttpArtifactRepository
from sklearn.linear_model import LogisticRegression

MLFLOW_3 = mlflow.__version__.startswith("3.")


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_search_experiments_filter_order_pages(client):
    prefix = _name("xs")
    ids = [client.create_experiment(f"{prefix}-{i}", tags={"team": "ml" if i % 2 == 0 else "data"}) for i in range(5)]
    like = f"name LIKE '{prefix}-%'"
    found = client.search_experiments(filter_string=f"{like} AND tags.team = 'ml'", order_by=["name DESC"])
    assert [e.name for e in found] == [f"{prefix}-{i}" for i in (4, 2, 0)]
    assert [e.name for e in client.search_experiments(filter_string=f"attribute.name = '{prefix}-3'")] == [f"{prefix}-3"]
    assert client.search_experiments(filter_string=f"name ILIKE '{prefix.upper()}-1'")[0].experiment_id == ids[1]
    assert len(client.search_experiments(filter_string=f"{like} AND tags.team != 'ml'")) == 2
    newest_first = [client.get_experiment(e.experiment_id).creation_time for e in client.search_experiments(filter_string=like)]
    assert len(newest_first) == 5 and newest_first == sorted(newest_first, reverse=True)
    by_id = client.search_experiments(filter_string=like, order_by=["experiment_id ASC"])
    assert [e.experiment_id for e in by_id] == sorted(ids)
    seen, token, pages = [], None, 0
    while True:
        page = client.search_experiments(filter_string=like, order_by=["name ASC"], max_results=2, page_token=token)
        seen += [e.name for e in page]
        pages += 1
        token = page.token
        if not token:
            break
    assert pages == 3 and seen == [f"{prefix}-{i}" for i in range(5)]
    client.delete_experiment(ids[0])
    deleted = client.search_experiments(view_type=ViewType.DELETED_ONLY, filter_string=like)
    assert [e.experiment_id for e in deleted] == [ids[0]]
    assert len(client.search_experiments(view_type=ViewType.ALL, filter_string=like)) == 5
    created = client.get_experiment(ids[1]).creation_time
    assert ids[1] in {e.experiment_id for e in client.search_experiments(filter_string=f"{like} AND creation_time >= {created}")}
    with pytest.raises(MlflowException) as e:
        client.search_experiments(filter_string="colour = 'red'")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"


def test_delete_artifacts(client, tmp_path):
    mlflow.set_experiment(_name("del"))
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("a")
    (tmp_path / "d" / "b.txt").write_text("b")
    (tmp_path / "keep.txt").write_text("keep")
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(tmp_path / "d"), artifact_path="d")
        mlflow.log_artifact(str(tmp_path / "keep.txt"))
    with mlflow.start_run() as other:
        mlflow.log_artifact(str(tmp_path / "d" / "a.txt"))
    repo = get_artifact_repository(run.info.artifact_uri)
    repo.delete_artifacts("d/a.txt")
    assert [f.path for f in client.list_artifacts(run.info.run_id, "d")] == ["d/b.txt"]
    repo.delete_artifacts("d")
    assert [f.path for f in client.list_artifacts(run.info.run_id)] == ["keep.txt"]
    out = mlflow.artifacts.download_artifacts(run_id=other.info.run_id, artifact_path="a.txt", dst_path=str(tmp_path / "dl"))
    assert open(out).read() == "a"


def test_multipart_upload(client, tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", "1000")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", "100000")
    calls = []
    original = HttpArtifactRepository.complete_multipart_upload

    def spy(self, local_file, upload_id, parts=None, artifact_path=None):
        calls.append(len(parts))
        return original(self, local_file, upload_id, parts, artifact_path)

    monkeypatch.setattr(HttpArtifactRepository, "complete_multipart_upload", spy)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(250_000))
    mlflow.set_experiment(_name("mpu"))
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(big), artifact_path="data")
    assert calls == [3]
    [info] = client.list_artifacts(run.info.run_id, "data")
    assert (info.path, info.file_size) == ("data/big.bin", 250_000)
    out = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="data/big.bin", dst_path=str(tmp_path / "dl"))
    assert open(out, "rb").read() == big.read_bytes()


def _fit():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [2.0, 1.0], [0.0, 2.0]])
    y = np.array([0, 1, 1, 0, 1, 0])
    return LogisticRegression().fit(X, y), X


@pytest.mark.skipif(not MLFLOW_3, reason="logged models are MLflow 3's")
def test_sklearn_logged_model_round_trip(client):
    model, X = _fit()
    exp = mlflow.set_experiment(_name("skl3"))
    with mlflow.start_run() as run:
        mlflow.log_param("C", "1.0")
        mlflow.log_metric("acc", 1.0)
        info = mlflow.sklearn.log_model(model, name="model")
    rid = run.info.run_id
    expected = model.predict_proba(X)
    for uri in (f"runs:/{rid}/model", info.model_uri, f"models:/{info.model_id}"):
        loaded = mlflow.pyfunc.load_model(uri)
        assert np.allclose(loaded.get_raw_model().predict_proba(X), expected)
        assert list(loaded.predict(X)) == list(model.predict(X))
    lm = client.get_logged_model(info.model_id)
    assert (lm.name, lm.source_run_id, lm.experiment_id, str(lm.status)) == ("model", rid, exp.experiment_id, "READY")
    assert lm.artifact_location == f"mlflow-artifacts:/{exp.experiment_id}/models/{info.model_id}/artifacts"
    assert lm.params["C"] == "1.0"
    assert [m.key for m in lm.metrics] == ["acc"]
    assert len(client.get_metric_history(rid, "acc")) == 1
    assert [o.model_id for o in client.get_run(rid).outputs.model_outputs] == [info.model_id]
    assert "MLmodel" in {f.path for f in client.list_logged_model_artifacts(info.model_id)}
    found = client.search_logged_models([exp.experiment_id], filter_string=f"name = 'model' AND source_run_id = '{rid}'")
    assert [m.model_id for m in found] == [info.model_id]
    assert [m.model_id for m in mlflow.search_logged_models(experiment_ids=[exp.experiment_id], output_format="list")] == [info.model_id]
    client.set_logged_model_tags(info.model_id, {"stage": "candidate"})
    assert client.get_logged_model(info.model_id).tags["stage"] == "candidate"
    client.delete_logged_model_tag(info.model_id, "stage")
    assert "stage" not in client.get_logged_model(info.model_id).tags

    other = mlflow.create_external_model(name="ext", experiment_id=exp.experiment_id, params={"k": "v"}, tags={"t": "1"})
    assert client.get_logged_model(other.model_id).params == {"k": "v"}
    assert client.search_logged_models([exp.experiment_id], filter_string="tags.t = '1'")[0].model_id == other.model_id
    ordered = client.search_logged_models([exp.experiment_id], order_by=[{"field_name": "name", "ascending": True}])
    assert [m.name for m in ordered] == ["ext", "model"]
    page = client.search_logged_models([exp.experiment_id], max_results=1)
    assert len(page) == 1 and page.token
    assert len(client.search_logged_models([exp.experiment_id], max_results=1, page_token=page.token)) == 1
    client.delete_logged_model(other.model_id)
    with pytest.raises(MlflowException) as e:
        client.get_logged_model(other.model_id)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


@pytest.mark.skipif(MLFLOW_3, reason="MLflow 2 logs models as run artifacts")
def test_sklearn_run_model_round_trip(client):
    model, X = _fit()
    mlflow.set_experiment(_name("skl2"))
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(model, artifact_path="model")
    loaded = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    assert np.allclose(loaded._model_impl.predict_proba(X), model.predict_proba(X))
    assert list(loaded.predict(X)) == list(model.predict(X))
    history = json.loads(client.get_run(run.info.run_id).data.tags["mlflow.log-model.history"])
    assert [h["artifact_path"] for h in history] == ["model"]
    assert info.model_uri == f"runs:/{run.info.run_id}/model"
