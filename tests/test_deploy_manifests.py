"""The Kubernetes manifests, as `kubectl kustomize` renders each overlay, run the service the way the README says.

(.ci/run also validates them against the Kubernetes schemas; these tests check what a schema
cannot: replica counts, probes on paths the app answers, the security context, and that
every variable the manifests set is one the settings read.)
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import skip_or_fail
from tracker.health.endpoints import ENDPOINTS

ROOT = Path(__file__).resolve().parent.parent
OVERLAYS = sorted(path.name for path in (ROOT / "deploy" / "overlays").iterdir() if path.is_dir())
SETTINGS_SOURCES = [ROOT / "tracker/settings.py", ROOT / "tracker/storage_settings.py", ROOT / "gunicorn.conf.py"]


def _render(overlay):
    kubectl = shutil.which("kubectl")
    if not kubectl:
        skip_or_fail("kubectl is not installed (apt-get install kubectl)")
    result = subprocess.run(
        [kubectl, "kustomize", str(ROOT / "deploy" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return list(yaml.safe_load_all(result.stdout))


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request):
    documents = _render(request.param)
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents}


def _pod(workload):
    return workload["spec"]["template"]["spec"]


def _workloads(rendered):
    return [doc for (kind, _), doc in rendered.items() if kind in ("Deployment", "Job")]


def test_there_are_dev_and_production_overlays():
    assert {"dev", "production"} <= set(OVERLAYS)


def test_several_web_pods_and_exactly_one_beat_that_never_overlaps(rendered):
    web = rendered[("Deployment", "tracker-web")]
    assert web["spec"]["replicas"] >= 2
    beat = rendered[("Deployment", "tracker-beat")]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert rendered[("PodDisruptionBudget", "tracker-web")]["spec"]["minAvailable"] >= 1
    assert ("Service", "tracker-web") in rendered and ("Ingress", "tracker-web") in rendered


def test_probes_ask_paths_the_app_answers(rendered):
    container = _pod(rendered[("Deployment", "tracker-web")])["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/liveness"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/readiness"
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["path"] in ENDPOINTS


def test_every_pod_runs_as_a_non_root_user_on_a_read_only_root_filesystem_with_a_scratch_tmp(rendered):
    for workload in _workloads(rendered):
        pod = _pod(workload)
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 10001
        assert {"name": "tmp", "emptyDir": pod["volumes"][0]["emptyDir"]} == pod["volumes"][0]
        for container in pod.get("initContainers", []) + pod["containers"]:
            name = f"{workload['metadata']['name']}/{container['name']}"
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], name
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], name
            assert container["resources"]["requests"] and container["resources"]["limits"]["memory"], name


def test_one_image_for_every_process_and_migrations_in_a_job_the_pods_wait_for(rendered):
    images = {
        container["image"]
        for workload in _workloads(rendered)
        for container in _pod(workload).get("initContainers", []) + _pod(workload)["containers"]
    }
    assert len(images) == 1
    job = rendered[("Job", "tracker-migrate")]
    assert _pod(job)["containers"][0]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("tracker-web", "tracker-worker", "tracker-beat"):
        (init,) = _pod(rendered[("Deployment", name)])["initContainers"]
        assert "migrate --check" in " ".join(init["command"])


def test_credentials_come_from_secrets_and_every_variable_is_one_the_settings_read(rendered):
    settings_text = "\n".join(path.read_text() for path in SETTINGS_SOURCES)
    read = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', settings_text))
    configured = set(rendered[("ConfigMap", "tracker-settings")]["data"])
    for workload in _workloads(rendered):
        for container in _pod(workload).get("initContainers", []) + _pod(workload)["containers"]:
            secrets = {item["name"]: item["valueFrom"]["secretKeyRef"] for item in container["env"]}
            assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"} <= secrets.keys()
            assert all("value" not in item for item in container["env"]), "no credential written in a manifest"
            configured |= secrets.keys()
    unknown = sorted(configured - read)
    assert unknown == [], f"set in the manifests but read by no setting: {unknown}"


def test_the_image_installs_only_production_requirements_and_runs_as_a_numeric_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if line.startswith(("RUN pip", "COPY requirements"))]
    assert installs and all("requirements-dev" not in line for line in installs)
    assert re.search(r"^USER \d+:\d+$", dockerfile, re.MULTILINE)
    assert dockerfile.count("FROM ") >= 3, "multi-stage: assets, wheels, runtime"
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py", "tracker.wsgi"]' in dockerfile
    assert "collectstatic" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "node_modules", "media", "tests"} <= set(ignored)
