"""The real mlflow client against Cairn's model registry: register_model from a
run, version tags and aliases, legacy stages, searches, rename and delete, and
a scikit-learn model loaded back through `models:/name@alias`."""
import json
import uuid
import warnings

import mlflow
import numpy as np
import pytest
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LogisticRegression

MLFLOW_3 = mlflow.__version__.startswith("3.")


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _fit():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [2.0, 1.0], [0.0, 2.0]])
    y = np.array([0, 1, 1, 0, 1, 0])
    return LogisticRegression().fit(X, y), X


def _log_sklearn(model):
    """Logs the model in a new run (a logged model under 3.x, run artifacts under 2.x); returns the run id."""
    mlflow.set_experiment(_name("reg"))
    with mlflow.start_run() as run:
        mlflow.log_metric("acc", 1.0)
        if MLFLOW_3:
            mlflow.sklearn.log_model(model, name="model")
        else:
            mlflow.sklearn.log_model(model, artifact_path="model")
    return run.info.run_id


def _code(e):
    return e.value.error_code


def test_register_tag_alias_stage_and_load(client):
    model, X = _fit()
    rid = _log_sklearn(model)
    name = _name("churn")
    mv = mlflow.register_model(f"runs:/{rid}/model", name)
    assert (mv.name, mv.version, mv.run_id, mv.current_stage) == (name, "1", rid, "None")
    if MLFLOW_3:
        # MLflow 3 registers the run's logged model; its files are the logged model's.
        [lm] = client.search_logged_models([client.get_run(rid).info.experiment_id])
        assert mv.source == f"models:/{lm.model_id}"
        versions = json.loads(client.get_logged_model(lm.model_id).tags["mlflow.modelVersions"])
        assert versions == [{"name": name, "version": "1"}]
        assert client.get_model_version_download_uri(name, "1") == lm.artifact_location
    else:
        assert mv.source == f"{client.get_run(rid).info.artifact_uri}/model"
        assert client.get_model_version_download_uri(name, "1") == mv.source

    client.set_model_version_tag(name, "1", "validated", "yes")
    client.set_registered_model_alias(name, "champion", "1")
    got = client.get_model_version_by_alias(name, "champion")
    assert (got.version, got.tags, got.aliases) == ("1", {"validated": "yes"}, ["champion"])
    assert client.get_registered_model(name).aliases == {"champion": "1"}

    loaded = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    assert list(loaded.predict(X)) == list(model.predict(X))
    raw = loaded.get_raw_model() if MLFLOW_3 else loaded._model_impl.sklearn_model
    assert np.allclose(raw.predict_proba(X), model.predict_proba(X))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # legacy stages are deprecated in MLflow 3, still served
        staged = client.transition_model_version_stage(name, "1", "Staging")
        assert staged.current_stage == "Staging"
        assert [v.version for v in client.get_latest_versions(name, stages=["Staging"])] == ["1"]
        assert client.get_latest_versions(name, stages=["Production"]) == []
        v2 = client.create_model_version(name, mv.source, run_id=rid, description="second")
        assert v2.version == "2"
        client.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True)
        latest = {v.current_stage: v.version for v in client.get_latest_versions(name)}
        assert latest == {"Staging": "1", "Production": "2"}
    assert list(mlflow.pyfunc.load_model(f"models:/{name}/Production").predict(X)) == list(model.predict(X))
    assert list(mlflow.pyfunc.load_model(f"models:/{name}/1").predict(X)) == list(model.predict(X))

    client.delete_model_version_tag(name, "1", "validated")
    assert client.get_model_version(name, "1").tags == {}
    client.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException) as e:
        client.get_model_version_by_alias(name, "champion")
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"


def test_search_update_rename_delete(client):
    prefix = _name("srch")
    for s in ("b", "a", "c"):
        client.create_registered_model(f"{prefix}-{s}", tags={"team": "ml" if s != "c" else "data"}, description=s)
    found = client.search_registered_models(filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"])
    assert [m.name for m in found] == [f"{prefix}-{s}" for s in ("c", "b", "a")]
    assert [m.name for m in client.search_registered_models(filter_string=f"name = '{prefix}-a'")] == [f"{prefix}-a"]
    tagged = client.search_registered_models(filter_string=f"name LIKE '{prefix}-%' AND tags.team = 'data'")
    assert [m.name for m in tagged] == [f"{prefix}-c"]
    seen, token, pages = [], None, 0
    while True:
        page = client.search_registered_models(filter_string=f"name ILIKE '{prefix.upper()}-%'", max_results=2, page_token=token)
        seen += [m.name for m in page]
        pages += 1
        token = page.token
        if not token:
            break
    assert (sorted(seen), pages) == ([f"{prefix}-{s}" for s in ("a", "b", "c")], 2)

    rid = _run_id(client)
    a = f"{prefix}-a"
    client.create_model_version(a, "s3://bucket/model-1", run_id=rid)
    client.create_model_version(a, "s3://bucket/model-2")
    assert sorted(v.version for v in client.search_model_versions(f"name = '{a}'")) == ["1", "2"]
    assert [(v.name, v.version) for v in client.search_model_versions(f"run_id = '{rid}'")] == [(a, "1")]

    client.set_registered_model_tag(a, "owner", "ada")
    assert client.get_registered_model(a).tags == {"team": "ml", "owner": "ada"}
    client.delete_registered_model_tag(a, "owner")
    assert client.update_registered_model(a, description="new").description == "new"
    assert client.update_model_version(a, "2", description="v2").description == "v2"
    client.rename_registered_model(a, f"{prefix}-z")
    assert client.get_model_version(f"{prefix}-z", "2").description == "v2"
    client.delete_model_version(f"{prefix}-z", "1")
    assert [v.version for v in client.search_model_versions(f"name = '{prefix}-z'")] == ["2"]
    client.delete_registered_model(f"{prefix}-z")
    with pytest.raises(MlflowException) as e:
        client.get_registered_model(f"{prefix}-z")
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"


def test_registry_error_parity(client):
    name = _name("err")
    client.create_registered_model(name)
    with pytest.raises(MlflowException) as e:
        client.create_registered_model(name)
    assert _code(e) == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(MlflowException) as e:
        client.get_model_version(name, "7")
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    client.create_model_version(name, "s3://bucket/m")
    with pytest.raises(MlflowException) as e, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client.transition_model_version_stage(name, "1", "Shipped")
    assert _code(e) == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as e:
        client.search_registered_models(filter_string="owner = 'x'")
    assert _code(e) == "INVALID_PARAMETER_VALUE"


def _run_id(client):
    return client.create_run(client.create_experiment(_name("regrun"))).info.run_id
