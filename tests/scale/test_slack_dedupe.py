"""Repeated Slack events are spotted across servers through a real Redis."""

from __future__ import annotations

import logging

import pytest

from bot.server.channels.slack_dedupe import RedisRecentKeys
from tests.support.ports import held_port
from tests.support.services import ServiceMissing, running_redis


@pytest.fixture
def redis_url(tmp_path):
    try:
        with running_redis(tmp_path) as url:
            yield url
    except ServiceMissing as missing:
        pytest.fail(f"{missing} (`make test-scale` installs it)")


def test_a_retry_reaching_another_server_is_spotted(redis_url):
    first_server, second_server = RedisRecentKeys(redis_url), RedisRecentKeys(redis_url)
    assert first_server.check_and_remember(["event:Ev1", "msg:C1:1.0"]) is False
    # Slack's retry of the same event, delivered to the other server.
    assert second_server.check_and_remember(["event:Ev1"]) is True
    # A mention that also arrives as a message: same message key.
    assert second_server.check_and_remember(["event:Ev2", "msg:C1:1.0"]) is True
    assert second_server.check_and_remember(["event:Ev3", "msg:C1:2.0"]) is False


def test_without_redis_each_server_still_spots_its_own_repeats(caplog):
    unreachable = RedisRecentKeys(f"redis://127.0.0.1:{held_port()}/1")
    with caplog.at_level(logging.ERROR, logger="bot.server.channels.slack_dedupe"):
        assert unreachable.check_and_remember(["event:Ev1"]) is False
        assert unreachable.check_and_remember(["event:Ev1"]) is True
        assert unreachable.check_and_remember(["event:Ev2"]) is False
    assert caplog.text.count("Cannot reach Redis") == 1
