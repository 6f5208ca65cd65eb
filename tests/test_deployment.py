"""docker-compose.yml describes the production stack (no Docker engine runs here)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_web_worker_beat_postgres_and_redis_with_health_checks():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert "healthcheck" in services[name], name


def test_the_web_service_runs_gunicorn_and_worker_and_beat_run_celery():
    services = _compose()["services"]
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A leafspring worker" in services["worker"]["command"]
    assert "celery -A leafspring beat" in services["beat"]["command"]


def test_app_services_use_postgres_and_redis_and_wait_for_them():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_dockerfile_serves_with_gunicorn_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile
    assert "USER leafspring" in dockerfile


def test_no_access_log_keeps_ip_addresses_or_personal_links():
    assert "access-log" not in (ROOT / "Dockerfile").read_text()
    assert "access-log" not in _compose()["services"]["web"]["command"]


def test_web_processes_share_one_cache_so_rate_limits_hold():
    for name in ("web", "worker", "beat"):
        assert _compose()["services"][name]["environment"]["CACHE_URL"].startswith("rediscache://")
