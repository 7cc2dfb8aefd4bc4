"""Rate limits per client IP and route: in memory per process, shared through Redis."""
import os
import uuid

import pytest
import redis

# A real Redis for the shared mode (CI starts one on the default port).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LOGIN = "/api/v1/auth/login"  # 10 per minute in the default table


def login(client, ip="198.51.100.1"):
    return client.post(LOGIN, json={"email": "a@b.fr", "password": "x"}, headers={"X-Forwarded-For": ip})


def test_the_eleventh_login_in_a_minute_is_429_in_french(make_gateway, upstream_urls):
    client = make_gateway(upstream_urls, GATEWAY_TRUSTED_PROXIES=1).test_client()
    assert [login(client).status_code for _ in range(10)] == [200] * 10
    refused = login(client)
    assert refused.status_code == 429
    assert refused.get_json()["status"] == "Trop de requêtes"
    assert refused.get_json()["message"].startswith("Vous avez fait trop de demandes")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    page = client.post("/connexion", data={"email": "a@b.fr"}, headers={"Accept": "text/html",
                                                                         "X-Forwarded-For": "198.51.100.9"})
    for _ in range(10):
        page = client.post("/connexion", data={"email": "a@b.fr"}, headers={"Accept": "text/html",
                                                                             "X-Forwarded-For": "198.51.100.9"})
    assert page.status_code == 429
    html = page.get_data(as_text=True)
    assert '<html lang="fr">' in html and "Trop de requêtes" in html


def test_limits_count_per_client_ip_and_per_route(make_gateway, upstream_urls):
    client = make_gateway(upstream_urls, GATEWAY_TRUSTED_PROXIES=1).test_client()
    for _ in range(10):
        login(client)
    assert login(client).status_code == 429
    assert login(client, ip="198.51.100.2").status_code == 200  # another citizen
    assert client.get("/api/v1/auth/me", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert client.get("/experiences", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(make_gateway, upstream_urls):
    client = make_gateway(upstream_urls, GATEWAY_TRUSTED_PROXIES=0).test_client()
    codes = [login(client, ip=f"203.0.113.{index}").status_code for index in range(11)]
    assert codes == [200] * 10 + [429]


def test_in_memory_each_replica_counts_alone(make_gateway, upstream_urls):
    first = make_gateway(upstream_urls, GATEWAY_TRUSTED_PROXIES=1).test_client()
    second = make_gateway(upstream_urls, GATEWAY_TRUSTED_PROXIES=1).test_client()
    assert [login(first).status_code for _ in range(6)] == [200] * 6
    assert [login(second).status_code for _ in range(6)] == [200] * 6


@pytest.fixture
def redis_prefix():
    prefix = f"gwtest-{uuid.uuid4().hex[:8]}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def test_with_redis_every_replica_counts_together(make_gateway, upstream_urls, redis_prefix):
    env = {"REDIS_URL": REDIS_URL, "GATEWAY_RATELIMIT_PREFIX": redis_prefix, "GATEWAY_TRUSTED_PROXIES": 1}
    first = make_gateway(upstream_urls, **env).test_client()
    second = make_gateway(upstream_urls, **env).test_client()
    assert [login(first).status_code for _ in range(5)] == [200] * 5
    assert [login(second).status_code for _ in range(5)] == [200] * 5
    assert login(first).status_code == 429 and login(second).status_code == 429
    assert login(second, ip="198.51.100.77").status_code == 200
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"*{redis_prefix}*"))
    assert keys, "the counters live in Redis"
    assert not any(b"a@b.fr" in key for key in keys)


def test_redis_unreachable_counts_in_memory_meanwhile():
    from spplus.gateway.ratelimit import RouteLimiter

    limiter = RouteLimiter("gwtest-down", redis_url="redis://127.0.0.1:1/0")
    results = [limiter.hit("3 per minute", "POST /api/v1/auth/login", "198.51.100.1") for _ in range(4)]
    assert results[:3] == [None, None, None]
    assert results[3] is not None and 1 <= results[3].retry_after <= 60
    assert limiter.hit("3 per minute", "POST /api/v1/auth/login", "198.51.100.2") is None


def test_several_limits_on_one_route_all_count():
    from spplus.gateway.ratelimit import RouteLimiter

    limiter = RouteLimiter("gwtest-many")
    text = "5 per minute; 2 per second"
    assert [limiter.hit(text, "r", "ip") is None for _ in range(3)] == [True, True, False]
