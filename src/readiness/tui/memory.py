"""Keeping the cycle collector's full passes short, and out of key handlers, while the
terminal UI runs.

Python's cycle collector now and then walks every object it tracks (a "full" collection).
With the app's screens, the session and Textual's caches that was tens of thousands of
objects, and the walk ran inside whichever handler happened to allocate: 30-50 ms on a
2-core machine, in the middle of the repaint after a key press. Textual makes much cyclic
garbage while it draws (a ``Strip`` keeps itself in its own cache; its LRU caches are
circular lists), so those passes came every few key presses.

Two measures:

- :func:`freeze_startup` and :func:`freeze_settled` hide what exists at a point from the
  collector (``gc.freeze``): start-up (imported modules, the loaded checklist and
  assessment) and, once the answering screen is filled, its widgets and everything the app
  keeps. A full pass then walks only what was made since (a few ms instead of 30-50).
  Frozen objects are still freed by reference counting; only garbage cycles among them are
  kept, until :func:`thaw` (when the app ends) gives them back to the collector.
- :func:`defer_full_collections`: the collector no longer starts full passes itself; the
  app's timer runs :func:`collect_if_due` twice a second, so a full pass is a callback of
  its own between handlers instead of being added to a key press's repaint.
"""

from __future__ import annotations

import gc

_thawed = False
"""Whether an earlier app in this process thawed what it froze (tests, benchmarks)."""

_threshold: tuple[int, int, int] | None = None
"""The collector's thresholds while full passes are deferred to :func:`collect_if_due`."""

NEVER = 1 << 30
"""A third threshold the collector never reaches: no full pass of its own."""


def freeze_startup() -> None:
    """Before the first screen: hide what start-up made from the collector.

    Without this, the full collection that building the first screen triggers walks all of
    it (30-50 ms of the first screen on a 2-core machine). Done once while anything is
    frozen; after a thaw, the garbage the earlier app left is collected first so that it is
    not kept for good.
    """
    if gc.get_freeze_count():
        return
    if _thawed:
        gc.collect()
    gc.freeze()


def freeze_settled() -> None:
    """Once a screen that lives as long as the app is built: hide it from the collector.

    Not collected first: building the screen left tens of thousands of young objects, and
    walking them (10-20 ms) at that point delayed the first screen. The few garbage cycles
    among them are kept, once.
    """
    gc.freeze()


def defer_full_collections() -> None:
    """Full passes run only from :func:`collect_if_due` (a timer of the app), in a callback
    of their own, rather than in whichever handler happens to allocate then: a key press's
    repaint (15-25 ms) plus a full pass (10-25 ms) went past 50 ms. The young generations
    are still collected as usual, inside handlers: they take a millisecond or two."""
    global _threshold
    if _threshold is None:
        _threshold = gc.get_threshold()
        gc.set_threshold(_threshold[0], _threshold[1], NEVER)


def collect_if_due(due: int = 2) -> bool:
    """A full pass if the younger generations were collected ``due`` times since the last
    one (the collector's own rule is 10 and a quarter more long-lived objects; passes made
    more often are shorter). Returns whether it ran."""
    if gc.get_count()[2] < due:
        return False
    release_closed_widgets()
    gc.collect()
    return True


def release_closed_widgets() -> None:
    """Let go of the widgets of closed screens that Textual's style cache still holds.

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its 1,024 keys
    include each widget's styles cache, and through it the widget, its screen and their
    drawn lines (Textual issue #6665). Opening and closing the summary 150 times kept
    ~160,000 objects alive and made every full pass take ~90 ms instead of ~1 ms. The
    cache only saves building two styles per widget, so it is emptied before each pass."""
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


def thaw() -> None:
    """The app ended: hand everything frozen back to the collector, which runs its full
    passes itself again."""
    global _thawed, _threshold
    gc.unfreeze()
    _thawed = True
    if _threshold is not None:
        gc.set_threshold(*_threshold)
        _threshold = None
