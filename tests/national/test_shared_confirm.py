"""Shared politeness across workers: a booked turn can come late in one worker (its event loop
was busy); the send itself is confirmed in Redis, so two workers' sends to one portal keep the
delay between them (crawler/politeness.py, HostBooking.confirm)."""

from __future__ import annotations

import uuid

import pytest

from crawler.politeness import HostBooking
from tests.distributed.conftest import redis_url  # noqa: F401 - the fixture

pytestmark = pytest.mark.redis


def test_confirm_keeps_the_gap_between_sends(redis_url: str) -> None:  # noqa: F811
    import redis as redis_lib

    server = redis_lib.Redis.from_url(redis_url)
    prefix = f"confirm-{uuid.uuid4().hex[:8]}"
    a, b = HostBooking(server, prefix), HostBooking(server, prefix)
    assert a.confirm("x.gov.vn", 2.0) == 0  # a sends
    late = b.confirm("x.gov.vn", 2.0)  # b's booked turn came too soon after a's send
    assert 1.5 < late <= 2.0
    assert b.confirm("y.gov.vn", 2.0) == 0  # another portal is free
    assert a.reserve("x.gov.vn", 2.0) == 0  # booking is separate from the confirmed sends
