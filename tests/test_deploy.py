"""The deployment examples in deploy/ stay true to the code: no container engine runs here, so they are parsed
(PyYAML) and every image, port, probe path, command and KINDREPLY_* setting they name is checked against
the Dockerfile, config.py's documented settings, the CLI and the Flask URL map."""

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from kindreply.config import Settings, documented_settings
from kindreply.http import create_app
from tests.conftest import KINDREPLY, FakeEngine

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
KUBERNETES = DEPLOY / "kubernetes"
SETTINGS = {name for name, _ in documented_settings()}
DOCKERFILE = (ROOT / "Dockerfile").read_text()
EXPOSED = {int(port) for port in re.findall(r"^EXPOSE\s+(\d+)", DOCKERFILE, re.M)}


@pytest.fixture(scope="module")
def url_paths(tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    app = create_app(Settings.from_env({"KINDREPLY_KEYS_FILE": str(keys)}), engine=FakeEngine())
    return {rule.rule for rule in app.url_map.iter_rules()}


@pytest.fixture(scope="module")
def commands():
    usage = subprocess.run([KINDREPLY, "--help"], capture_output=True, text=True, check=True).stdout
    return set(re.search(r"\{([\w,]+)\}", usage).group(1).split(","))


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def kubernetes_documents() -> list[dict]:
    return [doc for path in sorted(KUBERNETES.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]


def of_kind(kind: str) -> list[dict]:
    return [doc for doc in kubernetes_documents() if doc["kind"] == kind]


def dockerfile_env() -> dict[str, str]:
    block = re.search(r"^ENV (.*?)(?=^\S)", DOCKERFILE, re.M | re.S).group(1)
    return dict(re.findall(r"(KINDREPLY_\w+)=(\S+)", block))


def test_every_setting_named_in_deploy_and_the_dockerfile_exists():
    for path in [*DEPLOY.rglob("*.yaml"), ROOT / "Dockerfile"]:
        for name in set(re.findall(r"KINDREPLY_[A-Z_]+", path.read_text())):
            assert name in SETTINGS, f"{path.relative_to(ROOT)} names {name}, which config.py does not have"


def test_the_dockerfile_serves_on_the_port_it_exposes_with_what_the_examples_need():
    env = dockerfile_env()
    assert EXPOSED == {int(env["KINDREPLY_PORT"])}
    assert env["KINDREPLY_HOST"] == "0.0.0.0"
    # the examples count rate limits in Redis: the image must carry the redis client
    assert re.search(r'pip install [^\n]*"kindreply\[[^\]]*redis', DOCKERFILE)
    assert "/healthz" in DOCKERFILE


def test_compose_kindreply_services_are_built_from_this_repository(compose, url_paths, commands):
    kindreply = {name: service for name, service in compose["services"].items() if service.get("image") == "kindreply"}
    assert {"kindreply-1", "kindreply-2", "single", "model"} <= set(kindreply)
    for name, service in kindreply.items():
        build = service["build"]
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == ROOT / "Dockerfile", name
        for mapping in service.get("ports", []):
            assert int(str(mapping).split(":")[-1]) in EXPOSED, f"{name} publishes {mapping}, the image listens on {EXPOSED}"
        for variable in service.get("environment", {}):
            assert variable in SETTINGS, f"{name}: {variable}"
        if "command" in service:
            assert service["command"][0] == "kindreply" and service["command"][1] in commands, name
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            assert source in compose["volumes"], f"{name} mounts an undeclared volume {source}"
            if source == "keys":
                assert Path(dockerfile_env()["KINDREPLY_KEYS_FILE"]).parent == Path(target)
    assert compose["services"]["single"]["profiles"] == ["single"]
    assert "environment" not in compose["services"]["single"]  # the image's own default: the local model


def test_compose_replicas_point_at_the_backend_and_redis_it_runs(compose):
    services = compose["services"]
    llama = services["llama"]["command"]
    model_file = llama[llama.index("-m") + 1]
    for name in ("kindreply-1", "kindreply-2"):
        env = services[name]["environment"]
        backend = urlsplit(env["KINDREPLY_BACKEND_URL"])
        assert backend.hostname == "llama" and str(backend.port) == llama[llama.index("--port") + 1]
        assert env["KINDREPLY_BACKEND_MODEL"] == llama[llama.index("--alias") + 1]
        assert urlsplit(env["KINDREPLY_RATE_LIMIT_STORAGE"]).hostname in services
        Settings.from_env({k: str(v) for k, v in env.items()})  # every value is one config.py accepts
    names = [services[name]["environment"]["KINDREPLY_REPLICA_NAME"] for name in ("kindreply-1", "kindreply-2")]
    assert len(set(names)) == 2
    # the backend reads the GGUF the kindreply image verified, through the models volume
    assert Path(model_file).name == Path(dockerfile_env()["KINDREPLY_MODEL"]).name
    assert services["model"]["volumes"] == ["models:/models"] and "models:/models:ro" in services["llama"]["volumes"]
    assert "/health" in " ".join(services["llama"]["healthcheck"]["test"])  # llama-server's own health path


def test_kubernetes_deployment_probes_ports_settings_and_keys(url_paths):
    (deployment,) = of_kind("Deployment")
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    assert container["image"].split(":")[0] == "kindreply"  # docker build -t kindreply . (this Dockerfile)
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert set(ports.values()) <= EXPOSED
    probes = {kind: container[kind]["httpGet"] for kind in ("readinessProbe", "livenessProbe")}
    assert probes["readinessProbe"]["path"] == "/readyz" and probes["livenessProbe"]["path"] == "/healthz"
    for probe in probes.values():
        assert probe["path"] in url_paths
        assert probe["port"] in ports or probe["port"] in ports.values()
    for item in container.get("env", []):
        assert item["name"] in SETTINGS
    config_maps = {doc["metadata"]["name"]: doc for doc in of_kind("ConfigMap")}
    secrets = {doc["metadata"]["name"]: doc for doc in of_kind("Secret")}
    settings = {}
    for source in container["envFrom"]:
        if "configMapRef" in source:
            settings.update(config_maps[source["configMapRef"]["name"]]["data"])
        else:
            settings.update(secrets[source["secretRef"]["name"]]["stringData"])
    assert set(settings) <= SETTINGS, set(settings) - SETTINGS
    Settings.from_env({k: str(v) for k, v in settings.items()})
    # the keys file the settings name is the one the Secret mounts
    keys_file = Path(settings["KINDREPLY_KEYS_FILE"])
    mount = next(m for m in container["volumeMounts"] if Path(m["mountPath"]) == keys_file.parent)
    volume = next(v for v in pod["spec"]["volumes"] if v["name"] == mount["name"])
    assert keys_file.name in secrets[volume["secret"]["secretName"]]["stringData"]


def test_kubernetes_service_and_autoscaler_reach_the_deployment():
    (deployment,) = of_kind("Deployment")
    (service,) = of_kind("Service")
    (autoscaler,) = of_kind("HorizontalPodAutoscaler")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    container_ports = {p["name"]: p["containerPort"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]}
    for port in service["spec"]["ports"]:
        assert port["targetPort"] in container_ports or port["targetPort"] in container_ports.values()
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]
    listed = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in KUBERNETES.glob("*.yaml") if p.name != "kustomization.yaml")
