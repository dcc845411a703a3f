"""--lesson: a lesson file checked whole before the app starts, played on the live app (a presenter's
Enter goes on where it waits), and headless with --record, into a recording of the real screen."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

import casts
from gdtui.cli import make_app, parse_args
from gdtui.lesson.script import CAPTION_WIDTH, Caption, Press, read_lesson
from gdtui.widgets.readouts import Readouts
from pty_app import PtyApp

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.lesson"))
CAPTION_ROW = 5  # the line above the charts, at 80x24
STATE = re.compile(r"^\s*(\w+)\s+step\s+(\d+) / \S+\s+lr (\S+)")  # the top line: state word, step, lr


def state(top_line: str) -> tuple[str, int, float]:
    found = STATE.match(top_line)
    assert found, top_line
    return found[1], int(found[2]), float(found[3])


async def pressed_by_hand(lesson: Path) -> str:
    """The top line after a person presses the lesson's keys on the app (nobody plays the lesson)."""
    args = parse_args(["--lesson", str(lesson)])  # the lesson's options
    args.lesson = None
    app = make_app(args)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main.started.wait()
        for step in read_lesson(str(lesson)).steps:
            if isinstance(step, Press):
                await pilot.press(*(key.name for key in step.keys))
        await pilot.pause()
        return app.main.query_one(Readouts).plain.splitlines()[0]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.name)
async def test_each_example_lesson_ends_where_its_story_says(lesson: Path) -> None:
    ended = state(await pressed_by_hand(lesson))
    assert ended == {"tutorial.lesson": ("DIVERGED", 167, 0.9), "standardize.lesson": ("PAUSED", 1, 0.5)}[lesson.name]


async def test_a_headless_lesson_records_its_captions_keys_and_end(run_gdtui, tmp_path: Path) -> None:
    lesson = ROOT / "lessons" / "standardize.lesson"
    cast = tmp_path / "standardize.cast"
    result = run_gdtui("--lesson", str(lesson), "--headless", "--record", str(cast), timeout=180)
    assert result.returncode == 0, result.stderr
    assert f"recorded to {cast}" in result.stderr
    steps = read_lesson(str(lesson)).steps
    header, _ = casts.read(cast)
    assert (header["width"], header["height"]) == (80, 24)
    assert casts.markers(cast) == [key.name for step in steps if isinstance(step, Press) for key in step.keys]
    captions = [step.text for step in steps if isinstance(step, Caption)]
    shown: list[str] = []
    for screen in casts.frames(cast):
        line = screen[CAPTION_ROW].strip()
        if line in captions and (not shown or shown[-1] != line):
            shown.append(line)
    assert shown == captions
    assert state(casts.played(cast)[0]) == state(await pressed_by_hand(lesson))


def test_a_presenter_goes_on_with_enter_where_the_lesson_waits(tmp_path: Path) -> None:
    lesson = tmp_path / "two.lesson"
    lesson.write_text("options --paused\ncaption First, this.\nwait 1\ncaption Then one step.\nkeys n\n")
    app = PtyApp("--lesson", str(lesson))
    try:
        assert app.wait_until(lambda screen: "First, this." in screen[CAPTION_ROW] and "⏎" in screen[CAPTION_ROW])
        time.sleep(2)  # longer than this wait lasts with no one at the keyboard
        assert "First, this." in app.screen()[CAPTION_ROW]
        app.send("\r")
        assert app.wait_until(lambda screen: "Then one step." in screen[CAPTION_ROW] and " 1 / " in screen[0])
        assert "⏎" not in app.screen()[CAPTION_ROW]
        assert app.wait_exit(1) is None  # with a presenter, the app stays when the lesson ends
        app.send("q")
        assert app.wait_exit(10) == 0
    finally:
        app.kill()


def test_a_lessons_options_come_first_and_its_data_from_its_folder(tmp_path: Path) -> None:
    args = parse_args(["--lesson", str(ROOT / "lessons" / "standardize.lesson"), "--lr", "2e-5"])
    assert args.raw and args.paused and args.lr == 2e-5  # the command line wins
    assert Path(args.data).resolve() == ROOT / "tests" / "data" / "penguins-full.csv"


@pytest.mark.parametrize(
    "text, said",
    [
        ("caption Fine so far.\nkeys n spcae\n", "2: unknown key 'spcae'"),
        ("caption Fine so far.\nkyes n\n", "2: unknown command 'kyes'"),
        ("caption Fine so far.\npause soon\n", "2: pause takes seconds"),
        ("caption Fine so far.\nkeys n*0\n", "2: 'n*0': a key is pressed 1 to 1000 times"),
        ("caption Fine so far.\ncaption " + "x" * (CAPTION_WIDTH + 1) + "\n", f"2: a caption is at most {CAPTION_WIDTH} characters"),
        ("caption Fine so far.\noptions --paused\n", "2: options come first"),
        ("# a comment\noptions --lr fast\nkeys n\n", "2: options: argument --lr: expected a number"),
        ("# a comment\noptions --record x.cast\nkeys n\n", "2: options: --record is for the command line"),
    ],
)
def test_a_bad_line_is_one_line_naming_it_and_exit_2(capsys, tmp_path: Path, text: str, said: str) -> None:
    lesson = tmp_path / "bad.lesson"
    lesson.write_text(text)
    with pytest.raises(SystemExit) as exited:
        parse_args(["--lesson", str(lesson)])
    assert exited.value.code == 2
    [message] = capsys.readouterr().err.splitlines()
    assert message.startswith(f"gdtui: --lesson {lesson}:{said}")


def test_a_bad_lesson_ends_gdtui_before_the_screen(run_gdtui, tmp_path: Path) -> None:
    lesson = tmp_path / "bad.lesson"
    lesson.write_text("keys n\nkeys space spcae\n")
    result = run_gdtui("--lesson", str(lesson))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"gdtui: --lesson {lesson}:2: unknown key 'spcae' (a character, or a name such as space, enter, escape, plus)"
    ]
