"""What a person types, pastes or holds down reaches gdtui intact: keys that arrive in one read,
text that looks like markup, very long input, and the ends of the lr ladder."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input
from textual.widgets._toast import Toast

from gdtui.app import GdtuiApp
from gdtui.screens.lr_dialog import MAX_LR_LENGTH, LrScreen
from gdtui.widgets.readouts import Readouts
from test_app import app_for

KEY_NAMES = {
    ".": "full_stop", "\r": "enter", "\x1b": "escape", "\x7f": "backspace",
    "[": "left_square_bracket", "]": "right_square_bracket", "/": "slash",
}


def in_one_read(app: GdtuiApp, text: str) -> None:
    """Hand the app every key of `text` at once, as one read from the terminal delivers them."""
    assert app._driver is not None  # the app is running
    for char in text:
        key = events.Key(KEY_NAMES.get(char, char), char)
        key.set_sender(app)
        app._driver.send_message(key)


async def settle(pilot, app: GdtuiApp) -> None:
    for _ in range(40):
        await pilot.pause(0.05)


async def loaded(pilot, app: GdtuiApp) -> None:
    """Until the engine is up: keys before that only open help or quit."""
    while app.main._session is None:
        await pilot.pause(0.05)


async def notes(pilot) -> list[str]:
    """The notifications as their toasts read on the screen."""
    await pilot.pause()
    return [str(Toast(note).render()) for note in pilot.app._notifications]


async def test_lr_typed_in_the_same_read_as_l_is_applied() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        in_one_read(app, "l0.05\r")
        await settle(pilot, app)
        assert app.session.lr == 0.05
        assert not isinstance(app.screen, LrScreen)


async def test_two_enters_in_one_read_close_the_dialog_once() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("l")
        await pilot.pause(0.2)
        in_one_read(app, "0.05\r\r")
        await settle(pilot, app)
        assert app.is_running and app.session.lr == 0.05
        assert len(app.screen_stack) == 1


@pytest.mark.parametrize("text", ["[/]", "1[/b]", "[a=*]", "[bold]2"])
async def test_markup_typed_as_lr_is_explained_as_text(text) -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("l")
        await pilot.pause(0.2)
        await pilot.press("ctrl+a", "ctrl+k", *text, "enter")
        await pilot.pause()
        assert isinstance(app.screen, LrScreen)
        error = str(app.screen.query_one("#lr-error").render())
        assert repr(text) in error
        assert app.session.lr == 0.01


async def test_the_lr_field_stops_at_its_maximum_length() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("l")
        await pilot.pause(0.2)
        in_one_read(app, "1" * (MAX_LR_LENGTH + 50))
        await settle(pilot, app)
        assert len(app.screen.query_one(Input).value) <= MAX_LR_LENGTH


async def test_saving_into_a_folder_named_like_markup_says_so_verbatim(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "[old] a[" / "]b"  # the path holds "[old]" and "[/]"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    app = app_for("--export", "run.csv")
    async with app.run_test() as pilot:
        await pilot.press("n", "e", "s")
        await pilot.pause(0.5)
        assert app.is_running
        shown = await notes(pilot)
        assert any(f"{folder}/run.csv" in note for note in shown), shown
        assert any("screenshot saved" in note and "[old] a[/]b" in note for note in shown), shown


async def test_e_never_replaces_a_file_and_says_where_it_saved(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run.csv").write_text("mine\n")
    app = app_for("--export", "run.csv")
    async with app.run_test() as pilot:
        await pilot.press("n", "e", "n", "e")
        shown = await notes(pilot)
    assert (tmp_path / "run.csv").read_text() == "mine\n"
    assert len((tmp_path / "run-1.csv").read_text().splitlines()) == 2  # header, step 1
    assert len((tmp_path / "run-2.csv").read_text().splitlines()) == 3
    assert any("run-1.csv (run.csv exists)" in note for note in shown), shown


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
async def test_an_lr_beyond_float32_diverges_with_every_optimizer(optimizer) -> None:
    app = app_for("--optimizer", optimizer)
    async with app.run_test() as pilot:
        await pilot.press("l")
        await pilot.pause(0.2)
        await pilot.press("ctrl+a", "ctrl+k", *"1e39", "enter", "n", "n")
        await pilot.pause()
        assert app.is_running
        assert "DIVERGED" in app.query_one(Readouts).plain
        assert app.session.latest.step == 0


async def test_lr_ladder_moves_from_the_smallest_float_and_stops_at_the_ends() -> None:
    app = app_for("--lr", "5e-324")
    async with app.run_test() as pilot:
        await pilot.press("minus")
        assert app.session.lr == 5e-324
        assert any("as low as a float goes" in note for note in await notes(pilot))
        await pilot.press("plus")
        assert app.session.lr == 1e-323
    app = app_for("--lr", "1e-310")
    async with app.run_test() as pilot:
        await pilot.press("plus")
        assert app.session.lr == 2e-310
    app = app_for("--lr", "1.5e308")
    async with app.run_test() as pilot:
        await pilot.press("plus")
        assert app.session.lr == 1.5e308
        assert any("as high as a float goes" in note for note in await notes(pilot))
        await pilot.press("minus")
        assert app.session.lr == 1e308


async def test_keys_typed_into_the_lr_dialog_never_run_as_commands(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = app_for()
    async with app.run_test() as pilot:
        await loaded(pilot, app)
        # A long lr typed without bracketed paste, cancelled: every e lands in the (full) field.
        in_one_read(app, "l" + "e" * 200 + "\x1b")
        await settle(pilot, app)
        assert not isinstance(app.screen, LrScreen)
        assert list(tmp_path.iterdir()) == []  # e is export: not one file saved
        assert app.session.lr == 0.01


async def test_keys_after_enter_in_the_same_read_reach_the_main_screen() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await loaded(pilot, app)
        in_one_read(app, "l0.2\rn")
        await settle(pilot, app)
        assert app.session.lr == 0.2
        assert app.session.latest.step == 1  # the n after Enter: one step


async def test_backspaces_and_digits_in_one_read_edit_the_field_in_order() -> None:
    app = app_for()
    async with app.run_test() as pilot:
        await loaded(pilot, app)
        in_one_read(app, "l" + "\x7f" * 6 + "0.3\r")
        await settle(pilot, app)
        assert app.session.lr == 0.3
