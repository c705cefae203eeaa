"""The Textual application: screens on top of one editing :class:`~readiness.session.Session`.

The app owns saving. Screens change the session and call :meth:`ReadinessApp.request_save`;
the write runs in a thread worker (a 5,000-item file takes longer than a frame), one at a
time, and a change made while a save runs triggers another save when it ends. Nothing is
ever asked on quit: pending edits are flushed and saved; only a save that fails stops the
quit, with a choice of retrying, saving elsewhere or leaving without saving.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Literal

from textual.app import App
from textual.binding import Binding, BindingType

from readiness.session import SaveJob, Session
from readiness.storage import ConflictError, SaveError
from readiness.tui import memory
from readiness.tui.messages import SaveStateChanged

Start = Literal["start", "answer", "new"]


class ReadinessApp(App[int | None]):
    """``readiness`` in the terminal: start screen, new assessment, answering, summaries."""

    CSS_PATH = "app.tcss"
    COLLECT_EVERY = 0.5
    """Seconds between checks for a full pass of the cycle collector (readiness.tui.memory)."""
    TITLE = "readiness"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        folder: Path = Path("assessments"),
        session: Session | None = None,
        start: Start = "start",
        prefill: dict[str, Any] | None = None,
        today: dt.date | None = None,
        save_delay: float = 0.5,
        select: str | None = None,
    ) -> None:
        super().__init__()
        self.folder = folder
        self.session = session
        self.start = start
        self.prefill = dict(prefill or {})
        self.today = today or dt.date.today()
        """Shown and used as the default date; tests pass a fixed one."""
        self.save_delay = save_delay
        """Seconds of quiet typing before a text field is saved."""
        self.initial_item = select
        self.crash_note: str | None = None
        """Where the answers went when an unexpected error stopped the app."""
        self._save_running = False
        self._save_again = False
        self._warned_due = False
        self._last_error: str | None = None
        self._conflict_shown = False
        self._frozen = False

    # ----------------------------------------------------------------- screens

    def on_mount(self) -> None:
        # Only the first screen's module is imported here (the start screen's pulls in
        # DataTable): the others are imported when they are opened.
        if self.start == "answer" and self.session is not None:
            from readiness.tui.screens.answer import AnswerScreen

            self.push_screen(AnswerScreen(self.session, select=self.initial_item))
        elif self.start == "new":
            from readiness.tui.screens.new import NewScreen

            self.push_screen(NewScreen(self.folder, self.prefill))
        else:
            from readiness.tui.screens.start import StartScreen

            self.push_screen(StartScreen(self.folder))

    def freeze_long_lived(self) -> None:
        """The answering screen is filled: what exists now (its widgets, the session) lives
        until the app ends. Hide it from the cycle collector, and run the collector's full
        passes from a timer rather than inside key handlers (readiness.tui.memory). Once
        per app; undone when the app ends."""
        if not self._frozen:
            self._frozen = True
            memory.freeze_settled()
            memory.defer_full_collections()
            self.set_interval(self.COLLECT_EVERY, memory.collect_if_due, name="collect")

    def on_unmount(self) -> None:
        # Always: make_app froze start-up even if the answering screen never came.
        memory.thaw()

    def open_session(
        self, session: Session, *, replace: bool = False, select: str | None = None
    ) -> None:
        """Answer ``session`` (from the start or new-assessment screen)."""
        from readiness.tui.screens.answer import AnswerScreen

        self.flush_edits()
        self.session = session
        self._last_error = None
        self._conflict_shown = False
        screen = AnswerScreen(session, select=select)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # ----------------------------------------------------------------- saving

    def flush_edits(self) -> None:
        """Apply text typed but not yet saved (debounce pending) on every screen."""
        for screen in list(self.screen_stack):
            flush = getattr(screen, "flush_edits", None)
            if callable(flush):
                flush()

    def request_save(self) -> None:
        """Save the session soon, off the event loop; coalesces saves while one runs."""
        session = self.session
        if session is None or not session.dirty:
            self.post_message(SaveStateChanged())
            return
        if self._save_running:
            self._save_again = True
            return
        self._save_running = True
        job = session.prepare_save()
        self.run_worker(
            lambda: self._write(session, job),
            thread=True,
            group="save",
            name="save",
            exit_on_error=False,
        )
        self.post_message(SaveStateChanged())

    def _write(self, session: Session, job: SaveJob) -> None:
        """Runs in a thread: write, then hand the outcome back to the event loop."""
        error: SaveError | None = None
        try:
            job.run()
        except SaveError as exc:
            error = exc
        except Exception as exc:  # any failure is a failed save, and shown as one
            # Reported like any failed save (message, retry, save elsewhere): otherwise the
            # save would never be marked done, and autosave would stop without a word.
            error = SaveError(job.snapshot.path or Path("?"), f"unexpected error: {exc!r}")
        self.call_from_thread(self._saved, session, job, error)

    def _saved(self, session: Session, job: SaveJob, error: SaveError | None) -> None:
        self._save_running = False
        if session is not self.session:
            return
        session.finish_save(job, error)
        if error is not None:
            self._report_save_error(error)
        else:
            if self._last_error is not None:
                self.notify(f"Saved to {session.path}", title="Saved again", markup=False)
            if job.recreated:
                self.notify(
                    f"{session.path} had gone from disk (deleted or moved?). Your answers "
                    "are saved there again.",
                    title="File written again",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
            self._last_error = None
            self._conflict_shown = False
            if self._save_again or session.dirty:
                self._save_again = False
                self.request_save()
        self.post_message(SaveStateChanged())
        for screen in self.screen_stack:
            screen.post_message(SaveStateChanged())

    def _report_save_error(self, error: SaveError) -> None:
        message = str(error)
        if isinstance(error, ConflictError):
            if not self._conflict_shown:
                self._conflict_shown = True
                self.show_save_problem()
        elif message != self._last_error:
            self.notify(
                f"Could not save: {message}\nYour answers are kept here. Press w to retry "
                "or save elsewhere.",
                title="Not saved",
                severity="error",
                timeout=10,
                markup=False,
            )
        self._last_error = message

    async def wait_for_saves(self) -> None:
        """Until no save runs. A save that ends starts the next when answers changed while
        it ran; quitting after the first only raced the second (a false "changed on disk")."""
        while True:
            workers = [w for w in self.workers if w.group == "save"]
            if workers:
                await self.workers.wait_for_complete(workers)
            elif self._save_running:
                await asyncio.sleep(0.01)  # its outcome is on its way to the event loop
            else:
                return

    def save_now(self) -> SaveError | None:
        """Flush and save on the event loop (quit, crash); returns the error, if any."""
        session = self.session
        if session is None:
            return None
        self.flush_edits()
        if not session.dirty:
            return None
        try:
            session.save()
        except SaveError as exc:
            self._last_error = str(exc)
            return exc
        finally:
            self.post_message(SaveStateChanged())
            for screen in self.screen_stack:
                screen.post_message(SaveStateChanged())
        return None

    def show_save_problem(self, *, quitting: bool = False) -> None:
        """The modal that offers retry / save elsewhere / reload after a failed save."""
        from readiness.tui.screens.dialogs import SaveProblemScreen

        session = self.session
        if session is None or session.error is None:
            if not quitting:
                self.notify("Everything is saved.")
            return
        if any(isinstance(screen, SaveProblemScreen) for screen in self.screen_stack):
            return  # one is open already (each Ctrl+Q while saves fail asked again)
        self.push_screen(
            SaveProblemScreen(session, quitting=quitting), callback=self._on_save_choice
        )

    def action_save_problem(self) -> None:
        self.show_save_problem()

    def _on_save_choice(self, choice: str | None) -> None:
        from readiness.tui.screens.dialogs import SaveAsScreen

        session = self.session
        if session is None or choice is None or choice == "cancel":
            return
        if choice == "retry":
            error = self.save_now()
            if error is not None:
                self._conflict_shown = False
                self._report_save_error(error)
            else:
                self.notify(f"Saved to {session.path}", markup=False)
        elif choice == "elsewhere":
            self.push_screen(SaveAsScreen(session), callback=self._after_save_as)
        elif choice == "reload":
            self.reload_session()
        elif choice == "discard":
            self.exit()

    def _after_save_as(self, path: Path | None) -> None:
        if path is not None:
            self._last_error = None
            self._conflict_shown = False
            self.notify(f"Saved to {path}; further changes go to that file.", markup=False)
            for screen in self.screen_stack:
                screen.post_message(SaveStateChanged())

    def reload_session(self) -> None:
        from readiness.loading import LoadError

        session = self.session
        if session is None:
            return
        try:
            session.reload()
        except (LoadError, SaveError) as exc:
            self.notify(f"Could not reload: {exc}", severity="error", markup=False)
            return
        self._last_error = None
        self._conflict_shown = False
        for screen in self.screen_stack:
            reloaded = getattr(screen, "session_reloaded", None)
            if callable(reloaded):
                reloaded()
        self.notify("Reloaded from disk.")

    # ----------------------------------------------------------------- quitting

    async def action_quit(self) -> None:
        """Quit without asking: everything is saved. A failed save stops here, and once, a
        due date that was typed but is not a date (it cannot be saved)."""
        self.flush_edits()
        refused = [
            typed
            for screen in self.screen_stack
            if (typed := getattr(screen, "refused_due", None)) is not None
        ]
        if refused and not self._warned_due:
            self._warned_due = True
            self.notify(
                f"The due date “{refused[0]}” is not a date (YYYY-MM-DD) and is not saved. "
                "Correct it, or quit again to leave without it.",
                title="Not quitting yet",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        await self.wait_for_saves()
        error = self.save_now()
        if error is not None:
            self.show_save_problem(quitting=True)
            return
        self.exit()

    # ----------------------------------------------------------------- crashes

    def _handle_exception(self, error: Exception) -> None:
        # Save first: the exception may leave the UI unusable, the answers must not be lost.
        # Where they went is printed after the app ends (readiness.tui._run), below the
        # error: Textual prints only the first of its exit messages, and a note put there
        # hid the error itself.
        self.crash_note = self._rescue()
        super()._handle_exception(error)

    def _rescue(self) -> str | None:
        session = self.session
        if session is None:
            return None
        # The UI may be broken; what the session holds is saved even if flushing fails.
        with contextlib.suppress(Exception):
            self.flush_edits()
        if not session.dirty and session.path is not None:
            return f"readiness stopped on an error; your answers are saved in {session.path}"
        try:
            written = session.save()
            return f"readiness stopped on an error; your answers were saved to {written}"
        except SaveError:
            pass
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = (session.path.stem if session.path else "assessment") + f".recovered-{stamp}.toml"
        for folder in _rescue_folders(session.path):
            try:
                job = session.prepare_save(folder / name)
                written = job.run()
                return (
                    "readiness stopped on an error and could not write the assessment's own "
                    f"file; your answers were saved to {written}"
                )
            except SaveError:
                continue
        return "readiness stopped on an error and could NOT save your answers anywhere"


def _rescue_folders(path: Path | None) -> list[Path]:
    folders = [path.parent] if path is not None else []
    return [*folders, Path.home(), Path(tempfile.gettempdir())]


AppFactory = Callable[..., ReadinessApp]
