"""A first, clean send of a request form stored in one statement: the send counted against
the submission limit, the request, the task that tells staff, and the visitor's new session
holding the thank-you note; one round trip and one commit.

intake.middleware.QuickSendMiddleware uses it for a visitor with no session whose form is
valid and plainly sent by a person; every other send goes the full way
(intake.views.RequestFormView), which must store the same request (tests/intake/
test_quick_send.py compares the two). Each row is built by the models' own code and its
values prepared by Django's fields (recovery_site/inserts.py), then passed as one JSON
object per row: a statement with 70 parameters would be parsed again on every send.
"""

import contextlib
import json
import re
from datetime import date, datetime
from importlib import import_module
from uuid import UUID

import psycopg
from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.db import connection, transaction
from django.tasks.signals import task_enqueued
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from psycopg.types.json import Jsonb

from intake.models import HelpRequest
from intake.services.submissions import help_request_build
from intake.tasks import notify_staff
from intake.thanks import THANKS_SESSION_KEY, thanks_note
from intake.throttle import send_counted, send_counted_parameters, submission_limit
from recovery_site.inserts import insert_values, saved

# Nothing is written unless the send is counted (under the limit) and the form was not sent
# before (its submission key is new): then the request, and from its RETURNING row the task
# (its arguments are the request's id, as the task backend writes them) and the session.
STORE = """
WITH {send_counted},
request AS (
    INSERT INTO {request_table} ({request_columns})
    SELECT {request_values}
    FROM jsonb_populate_record(NULL::{request_table}, %(request)s) AS row
    WHERE EXISTS (SELECT FROM sent)
    ON CONFLICT (submission_key) DO NOTHING
    RETURNING id
), notification AS (
    INSERT INTO {task_table} ({task_columns})
    SELECT {task_values} FROM request, jsonb_populate_record(
        NULL::{task_table},
        %(task)s || jsonb_build_object(
            'args_kwargs', jsonb_build_object('args', jsonb_build_array(request.id),
                                              'kwargs', '{{}}'::jsonb))) AS row
), visit AS (
    INSERT INTO {session_table} ({session_columns})
    SELECT {session_values}
    FROM request, jsonb_populate_record(NULL::{session_table}, %(session)s) AS row
)
SELECT id FROM request
"""
DB_SESSIONS = "django.contrib.sessions.backends.db"
FIRST_SEND = f"NOT EXISTS (SELECT FROM {HelpRequest._meta.db_table} WHERE submission_key = %(key)s)"
PARAMETER = re.compile(r"%\((\w+)\)s")
# The statement as PostgreSQL reads it ($1, $2 ...) and the names of its parameters in order.
_statement: tuple[bytes, list[str]] | None = None


def quick_send_supported() -> bool:
    """Whether the statement writes what the settings ask for: sessions in the database,
    and the staff notification queued by django_tasks_db with the ids its model makes.
    Otherwise every send goes the full way, through the configured backends."""
    backend = notify_staff.get_backend()
    return (
        settings.SESSION_ENGINE == DB_SESSIONS
        and isinstance(backend, DatabaseBackend)
        and not backend.options.get("id_function")
    )


def help_request_store_first_send(
    *, form, kind: str, language: str, request, fingerprint: str
) -> str | None:
    """Count the send against the submission limit and store the valid `form`'s request
    with its staff notification and a new session for the thank-you page. Returns the
    session's key; None, having stored and counted nothing, when the limit is reached or
    this form was already sent (a second send of the same form racing this one may have
    been counted: as on the full way, the limit is counted before the unique key says)."""
    help_request = help_request_build(
        form=form, kind=kind, submission_key=form.submission_key(), language=language
    )
    help_request.fill_in_derived()
    task = DBTaskResult(
        args_kwargs={},  # the request's id, written by the statement
        priority=notify_staff.priority,
        task_path=notify_staff.module_path,
        queue_name=notify_staff.queue_name,
        run_after=notify_staff.run_after,
        backend_name=notify_staff.backend,
    )
    session = _new_session(thanks_note(help_request, fingerprint=fingerprint))
    rows = {"request": help_request, "task": task, "session": session}
    values = {name: insert_values(instance) for name, instance in rows.items()}
    parameters = {
        **send_counted_parameters(request, "intake", **submission_limit()),
        "key": help_request.submission_key,
        **{name: json.dumps(row, default=_json_value) for name, (_, row) in values.items()},
    }
    row = _execute(_store_statement(values), parameters)
    if row is None:
        return None
    help_request.pk = row[0]
    task.args_kwargs = {"args": [help_request.pk], "kwargs": {}}
    for instance in rows.values():
        saved(instance)
    task_enqueued.send(type(notify_staff.get_backend()), task_result=task.task_result)
    return session.session_key


def _store_statement(values: dict) -> tuple[bytes, list[str]]:
    """STORE for this process's models, made once (the same text every time, so the
    database plans it once: see _execute), its %(name)s parameters numbered as PostgreSQL
    reads them (psycopg would otherwise parse a statement this long again on every send)."""
    global _statement
    if _statement is None:
        names = {}
        for name, (table, row) in values.items():
            names[f"{name}_table"] = table
            columns = [connection.ops.quote_name(column) for column in row]
            names[f"{name}_columns"] = ", ".join(columns)
            names[f"{name}_values"] = ", ".join(f"row.{column}" for column in columns)
        text = STORE.format(send_counted=send_counted(only_if=FIRST_SEND), **names)
        order: list[str] = []

        def number(match):
            if match[1] not in order:
                order.append(match[1])
            return f"${order.index(match[1]) + 1}"

        _statement = (PARAMETER.sub(number, text).encode(), order)
    return _statement


def _execute(statement: tuple[bytes, list[str]], parameters: dict):
    """Run `statement` as a prepared statement with its parameters sent apart from it
    (Django's cursors write them into the text, to be parsed each time), and return its
    row. On its own it is a transaction; in one already (a test), a savepoint keeps its
    failure from spoiling that one."""
    text, order = statement
    inside = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with inside:
        connection.close_if_health_check_failed()  # as Django does before each request
        connection.ensure_connection()
        with (
            connection.wrap_database_errors,
            psycopg.RawCursor(connection.connection) as cursor,
        ):
            cursor.execute(text, [parameters[name] for name in order], prepare=True)
            return cursor.fetchone()


def _json_value(value):
    """A prepared field value as jsonb_populate_record reads it back into its column."""
    if isinstance(value, Jsonb):
        return value.obj
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"no JSON for {type(value).__name__}")


def _new_session(thanks: dict):
    """A new session (settings.SESSION_ENGINE's model) that ends when the browser closes,
    holding `thanks`. Its random key is not looked up first: the table's primary key refuses
    a key already taken, and the send then goes the full way."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[THANKS_SESSION_KEY] = thanks
    store.set_expiry(0)
    return store.get_model_class()(
        session_key=get_random_string(32, VALID_KEY_CHARS),
        session_data=store.encode(dict(store.items())),
        expire_date=store.get_expiry_date(),
    )
