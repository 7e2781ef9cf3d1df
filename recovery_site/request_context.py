"""The current request's id, for log lines written anywhere while it is handled."""

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
