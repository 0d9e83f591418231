"""Helpers for tests of every app: capture published events, register a handler for one test.

    from tinhso.core.testing import captured_events

    def test_receiving_publishes_event(db):
        with captured_events() as events:
            dossier_receive(...)
        assert events.names() == ["dossier.received"]
        assert events.one("dossier.received").payload["code"] == "H44.12-260105-0001"

A test wrapped in a transaction (``@pytest.mark.django_db``) never commits, so ``on_commit``
callbacks, and with them event delivery, never run on their own. ``captured_events()`` runs them
when the block ends (``deliver=False`` only records), exactly as a commit would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS
from django.test import TestCase

from tinhso.core import events as _events
from tinhso.core.models import OutboxEvent


class CapturedEvents(list[OutboxEvent]):
    """The events published inside a ``captured_events()`` block, in order."""

    def names(self) -> list[str]:
        return [event.name for event in self]

    def named(self, name: str) -> list[OutboxEvent]:
        return [event for event in self if event.name == name]

    def one(self, name: str) -> OutboxEvent:
        matches = self.named(name)
        if len(matches) != 1:
            raise AssertionError(f"expected exactly one {name!r} event, got {len(matches)}: {self.names()}")
        return matches[0]


@contextmanager
def captured_events(*, deliver: bool = True, using: str = DEFAULT_DB_ALIAS) -> Iterator[CapturedEvents]:
    """Record events published in the block; at its end run the commit callbacks (delivery)."""
    captured = CapturedEvents()
    listener = captured.append
    _events._publish_listeners.append(listener)
    try:
        with TestCase.captureOnCommitCallbacks(using=using, execute=deliver):
            yield captured
    finally:
        _events._publish_listeners.remove(listener)


@contextmanager
def temporary_handler(*event_names: str, name: str, fn: Callable[[OutboxEvent], None]) -> Iterator[None]:
    """Register ``fn`` as handler ``name`` for the duration of the block."""
    if name in _events._handlers_by_name:
        raise ValueError(f"handler {name!r} is already registered")
    _events.event_handler(*event_names, name=name)(fn)
    try:
        yield
    finally:
        _events._unregister(name)


def admin_form_data(page) -> dict:
    """The POST data an admin change page would send back unchanged: its form and every inline
    formset, as rendered (``page`` is the response of a GET). Tests change a few keys and post it."""
    data: dict = {}

    def add(form) -> None:
        for bound in form:
            shown: object
            value = bound.value()  # already prepared for display by the field
            if isinstance(value, list | tuple):
                shown = [getattr(v, "pk", v) for v in value]
            elif value is None or value is False:
                continue
            elif value is True:
                shown = "on"
            else:
                shown = bound.field.widget.format_value(getattr(value, "pk", value))
                shown = "" if shown is None else shown
            data[bound.html_name] = shown
            if bound.field.show_hidden_initial:  # fields with a callable default also render their initial
                data[bound.html_initial_name] = shown

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            add(form)
    return data
