"""The `gdtui` command: parse and validate options, then open the app or run headless.

Nothing heavy is imported at module level, so `gdtui --help` answers without loading torch.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.metadata import version
from typing import TYPE_CHECKING, Any, NoReturn

from gdtui import parsing
from gdtui.arguments import ArgumentParser, checked
from gdtui.engine.config import DEFAULT_SPEED, MAX_DEGREE, MODEL_DEFAULTS, MODELS, RunConfig
from gdtui.engine.data.export import export_format, same_file
from gdtui.engine.data.missing import MISSING
from gdtui.engine.run.race_specs import MAX_RUNS, MIN_RUNS, parse_compare
from gdtui.engine.training.hyper import MOMENTUM, OPTIMIZERS

if TYPE_CHECKING:
    from gdtui.app import RunApp
    from gdtui.engine.data.dataset import Dataset
    from gdtui.lesson.script import Lesson

DESCRIPTION = """\
Watch and steer gradient descent, one step at a time.

gdtui fits a line y = w*x + b to points drawn from y = 3x + 0.8 with PyTorch autograd and the
update w -= lr * w.grad, and shows every step live: w, b, loss, gradients, a loss chart and the
fitted line over the data. Pause, step and change the learning rate while it learns.
With --model logistic it classifies instead: p = sigmoid(w*x + b) for labels 0 and 1, trained
on binary cross entropy.
"""

EPILOG = """\
examples:
  gdtui                          open the app and watch the default run
  gdtui --lr 0.5 --paused        start paused with a bigger learning rate
  gdtui --explain                walk through one step: n moves a phase, N a step
  gdtui --headless               print w, b and loss every 50 steps, then a summary
  gdtui --headless --lr 0.9      see a run diverge (exit status 3)
  gdtui --model logistic         classify two overlapping classes with a sigmoid
  gdtui --model logistic --separable   classes that never overlap: w grows for ever
  gdtui --compare gd,momentum,adam           race three update rules on the same data
  gdtui --compare gd:0.01,gd:0.5,adam:0.1:b32 --headless   a table of how each run ended
  gdtui --data houses.csv --x area_m2 --y price_eur
                                 fit a file's columns: standardized, at an lr whose steps you see
  gdtui --data houses.csv --x area_m2 --y price_eur --raw
                                 the same on the raw values at lr 0.01: watch it diverge
  gdtui --data houses.csv --x area_m2,rooms,year --y price_eur
                                 several inputs: a coefficient table with std err, t and p,
                                 predicted vs actual, residuals (v), ridge with k or --l2
  gdtui --headless --degree 5 --noise 0.3 --holdout 0.3 --summary json
                                 a polynomial, its held-out loss, the fit as one JSON object
  gdtui run train.py [ARGS...]   your own PyTorch script, unchanged: pause, step, change its lr
                                 (see gdtui run --help)
  gdtui --record run.cast        record the screen and the keys (play it: asciinema play run.cast)
  gdtui --lesson lessons/tutorial.lesson    play a lesson in class: Enter goes on where it waits
  gdtui --lesson lessons/tutorial.lesson --headless --record tutorial.cast
                                 the same lesson with no one at the keyboard, recorded

exit status: 0 done, 2 bad option, data or lesson (or --export exists or cannot be written,
             --record cannot be written, or --serve cannot listen on --host:--port),
             3 training diverged (headless; with --compare, every run diverged),
             130 ctrl+c (headless) or SIGINT, 129/143 SIGHUP/SIGTERM
"""


class OptionsError(Exception):
    """Options that do not parse (a lesson's): argparse's message."""


class RaisingParser(ArgumentParser):
    """The same options, an error raised instead of ending gdtui: for options read from a file."""

    def error(self, message: str) -> NoReturn:
        raise OptionsError(message)


DATA_OPTIONS = ("x", "y", "na", "sep", "decimal", "thousands", "encoding", "x_date", "positive")  # need --data
DATA_LIMIT = 1e6  # |true w|, |true b| and noise: float32 training of y = w x + b stays finite


def build_parser(kind: type[ArgumentParser] = ArgumentParser) -> ArgumentParser:
    parser = kind(
        prog="gdtui",
        allow_abbrev=False,  # --serve forwards options to each tab's gdtui by their full names
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gdtui {version('gdtui')}")
    run = parser.add_argument_group("training")
    run.add_argument(
        "--model", choices=MODELS, default="linear",
        help="linear: y = w*x + b on mean squared error; logistic: p = sigmoid(w*x + b) on "
        "binary cross entropy, for a y of two labels (default: linear)",
    )
    linear, logistic = MODEL_DEFAULTS["linear"], MODEL_DEFAULTS["logistic"]
    run.add_argument(
        "--lr", type=checked(parsing.learning_rate),
        help=f"learning rate, or 'auto': the best fixed lr for the data and rule (default: {linear.lr:g}; "
        f"logistic: {logistic.lr:g}; with --data, a tenth of the best, whose steps you see, where the best "
        "lands at once: standardized, all points, gd or momentum; else the best)",
    )
    run.add_argument(
        "--steps", type=checked(parsing.whole, maximum=sys.maxsize), default=3000, metavar="N",
        help="updates to run; the app pauses there as DONE; 0 = no limit (default: 3000)",
    )
    run.add_argument(
        "--seed", type=checked(parsing.whole, maximum=2**63 - 1), default=0, help="random seed for data and start (default: 0)"
    )
    run.add_argument(
        "--optimizer", choices=OPTIMIZERS, default="gd",
        help=f"gd: plain gradient descent, w -= lr * w.grad; momentum ({MOMENTUM}) and adam: torch.optim (default: gd)",
    )
    run.add_argument(
        "--batch-size", type=checked(parsing.whole), default=0, metavar="B",
        help="points per step, drawn at random: mini-batch SGD; 0 = all of them (default: 0)",
    )
    run.add_argument(
        "--compare", type=checked(parse_compare), metavar="SPEC[,SPEC...]",
        help=f"race {MIN_RUNS} to {MAX_RUNS} runs side by side on the same data from the same start, in "
        "lockstep. A SPEC is an optimizer, an lr and a batch size (bN) joined by ':', in any order; "
        "what it leaves out comes from --optimizer, --lr and --batch-size. "
        "E.g. gd,momentum,adam or gd:0.01,gd:0.5,momentum:0.05,adam:0.1:b32. "
        "Linear model only; not with --explain or --export (they are of one run)",
    )
    run.add_argument(
        "--standardize", action="store_true",
        help="train on x and y scaled to mean 0, std 1 (w, b and loss still shown in the data's "
        "units; logistic: x only): data with a large condition number then trains in a few steps. "
        "The default with --data",
    )
    run.add_argument(
        "--raw", action="store_true",
        help=f"with --data: train on the file's values as they are, at --lr or the model's default "
        f"({linear.lr:g}; logistic: {logistic.lr:g}): on most real files that diverges; see why, then press z",
    )
    data = parser.add_argument_group(
        "data (x ~ U[0, 1); y = true_w * x + true_b + noise, or for logistic, labels 0/1 drawn with "
        "P(y = 1) = sigmoid(true_w * x + true_b))"
    )
    data.add_argument(
        "--n", type=checked(parsing.whole, minimum=2, maximum=10_000_000), default=500, help="number of points (default: 500)"
    )
    data.add_argument(
        "--true-w", type=checked(parsing.number, limit=DATA_LIMIT), metavar="W",
        help=f"true slope (default: {linear.true_w:g}; logistic: {logistic.true_w:g}, how sharply the classes part)",
    )
    data.add_argument(
        "--true-b", type=checked(parsing.number, limit=DATA_LIMIT), metavar="B",
        help=f"true intercept (default: {linear.true_b:g}; logistic: {logistic.true_b:g}, so the "
        "classes part at x = -B/W = 0.5)",
    )
    data.add_argument(
        "--noise", type=checked(parsing.non_negative, limit=DATA_LIMIT), default=0.0, metavar="SIGMA",
        help="linear: std of Gaussian noise added to y (default: 0)",
    )
    data.add_argument(
        "--separable", action="store_true",
        help="logistic: label 1 exactly where true_w * x + true_b > 0, so the classes never overlap "
        "and no finite optimum exists",
    )
    data.add_argument(
        "--data", metavar="FILE",
        help="learn from a CSV file instead: two columns, x then y (more than two columns of numbers "
        "need --x and --y); header optional; for logistic, y holds labels 0/1, true/false or yes/no",
    )
    data.add_argument(
        "--x", type=checked(parsing.columns), metavar="COL[,COL...]",
        help="with --data: the x column, by header name or 0-based index (needed with more than two columns of "
        "numbers); several, joined by commas, fit y = X w + b with one w per column: the app shows the "
        "coefficient table (v for more views), headless ends with it (see --summary)",
    )
    data.add_argument(
        "--y", type=checked(parsing.column), metavar="COL",
        help="with --data: the y column, by header name or 0-based index (needed with more than two columns of numbers)",
    )
    data.add_argument(
        "--na", action="append", default=[], metavar="TEXT",
        help="with --data: one more way the file writes a missing value (repeatable); rows with a missing "
        f"value are skipped and counted. Already missing: blank, {' '.join(m for m in MISSING if m)}",
    )
    data.add_argument(
        "--sep", type=checked(parsing.separator), metavar="C", help="with --data: the delimiter (, ; tab space |...; default: detected)"
    )
    data.add_argument("--decimal", choices=(".", ","), metavar="C", help="with --data: the decimal mark, . or , (default: detected)")
    data.add_argument(
        "--thousands", type=checked(parsing.thousands), metavar="C",
        help="with --data: the thousands separator, or none (default: detected in numbers like \"5,850\")",
    )
    data.add_argument(
        "--encoding", type=checked(parsing.encoding), metavar="NAME",
        help="with --data: the text encoding (default: UTF-8, UTF-16 by its BOM, else Windows-1252)",
    )
    data.add_argument(
        "--x-date", action="store_true",
        help="with --data: x holds dates (YYYYMMDD numbers too); x becomes years since the first date",
    )
    data.add_argument(
        "--positive", metavar="LABEL",
        help="with --data and --model logistic: the label that is class 1 (default: 1, true or yes; "
        "else the second in sorted order, e.g. male of female/male)",
    )
    data.add_argument(
        "--degree", type=checked(parsing.whole, minimum=1, maximum=MAX_DEGREE), default=1, metavar="K",
        help="fit a polynomial of one x: y = w1 x + w2 x^2 + ... + wK x^K + b, each power a column of its own "
        "(default: 1, the line)",
    )
    data.add_argument(
        "--holdout", type=checked(parsing.fraction), metavar="F",
        help="keep a share F of the rows (drawn by --seed) out of training, and report the loss on them "
        "next to the training loss: overfitting shows as the two parting (the linear model)",
    )
    data.add_argument(
        "--l2", type=checked(parsing.non_negative, limit=1e12), default=0.0, metavar="LAMBDA",
        help="ridge: train on the loss + LAMBDA * (sum of the w's squared, in the data's units; b is free); "
        "the optimum, best lr and κ follow it, and k / K change it in the app (default: 0, least squares)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--export", metavar="FILE",
        help="write every step (step, w, b, loss, grad_w, grad_b, lr, optimizer; with several inputs each "
        "coefficient and its gradient by name) to FILE, as CSV "
        "or JSON Lines by its extension (.csv, .jsonl); the app saves the steps so far there on e and "
        "on quitting. An existing file is never replaced: headless refuses it (exit status 2), the app "
        "takes a numbered name instead (run-1.csv, run-2.csv, ...)",
    )
    output.add_argument(
        "--record", metavar="FILE",
        help="record the app's screen as it runs, and each key pressed as a marker, to FILE as an asciicast v2 "
        "recording (asciinema's .cast; play it with `asciinema play FILE`); R stops and starts recording in the "
        "app. An existing file is never replaced: a taken name is numbered (run-1.cast, ...)",
    )
    output.add_argument(
        "--png", metavar="FILE",
        help="save a picture of the charts as a PNG to FILE on P and on quitting (a taken name is numbered); "
        "needs matplotlib: pip install 'gdtui[png]'",
    )
    output.add_argument(
        "--summary", choices=("text", "json"),
        help="headless, the linear model: end with the fit as a statistician reads it, a coefficient table "
        "with least squares, std err, t, p, 95%% interval, R², F (text), or one JSON object (json); "
        "the default with several inputs or --degree: text",
    )
    output.add_argument(
        "--serve", action="store_true",
        help="serve the app to web browsers (textual-serve), each tab its own run",
    )
    output.add_argument("--host", default="127.0.0.1", help="with --serve: address to listen on (default: 127.0.0.1)")
    output.add_argument(
        "--port", type=checked(parsing.whole, minimum=1, maximum=65535), default=8000,
        help="with --serve: port (default: 8000)",
    )
    app = parser.add_argument_group("display")
    app.add_argument(
        "--speed", type=checked(parsing.speed), default=DEFAULT_SPEED, metavar="S",
        help=f"steps per second in the app, or 'max' (default: {DEFAULT_SPEED:g})",
    )
    app.add_argument("--paused", action="store_true", help="open the app paused at step 0")
    app.add_argument(
        "--explain", action="store_true",
        help="open the app paused in the explain view: one step of the loop, phase by phase (x toggles it)",
    )
    app.add_argument(
        "--headless", action="store_true",
        help="no app: print progress lines instead; with --lesson, play the lesson on a screen of its own "
        "with no one at the keyboard (waits pass, the end quits): record it with --record",
    )
    app.add_argument(
        "--lesson", metavar="FILE",
        help="play a lesson on the app: captions above the charts, keys pressed for you, pauses, and waits "
        "for the presenter's Enter (see README, Lessons); the whole file is checked first",
    )
    app.add_argument(
        "--size", type=checked(parsing.screen_size), default=(80, 24), metavar="COLSxROWS",
        help="with --headless --lesson: the size of the lesson's screen (default: 80x24)",
    )
    app.add_argument(
        "--log-every", type=checked(parsing.whole), default=50, metavar="K",
        help="headless: print w, b, loss every K steps; 0 = summary only (default: 50)",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Options, checked together where one depends on another; exit 2 with one line if not.
    A --lesson's own options come first, so the command line's win."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lesson:
        lesson = read_lesson(args.lesson)
        args = parser.parse_args([*lesson_options(lesson), *(sys.argv[1:] if argv is None else argv)])
        args.lesson = lesson
    if args.data == "":
        parser.error("argument --data: empty file name")
    given = [f"--{name.replace('_', '-')}" for name in DATA_OPTIONS if getattr(args, name) not in (None, [], False)]
    if given and args.data is None:
        parser.error(f"argument {given[0]}: only with --data FILE")
    if args.positive is not None and args.model != "logistic":
        parser.error("argument --positive: only with --model logistic (it names the class that is 1)")
    if args.raw and not args.data:
        parser.error("argument --raw: only with --data FILE (the built-in data is trained raw already)")
    if args.raw and args.standardize:
        parser.error("argument --raw: not with --standardize (one or the other)")
    if args.model == "logistic" and args.noise:
        parser.error("argument --noise: only with --model linear (logistic labels are drawn at random already)")
    if args.separable and (args.model == "linear" or args.data):
        parser.error("argument --separable: only with --model logistic, without --data")
    if args.export and args.compare:
        parser.error("argument --export: not with --compare (export one run at a time)")
    if args.compare and args.model != "linear":
        parser.error("argument --compare: only with --model linear (its charts draw lines, not sigmoids)")
    if args.compare and args.optimizer != "gd" and all(spec.optimizer for spec in args.compare):
        parser.error(f"argument --optimizer: every --compare run names its own rule (for {args.optimizer} runs, give lrs alone: 0.01,0.1)")
    if args.compare and args.explain:
        parser.error("argument --explain: not with --compare (it takes one run's step apart: run that one alone)")
    if many_inputs(args):
        option = (
            "--degree" if args.degree > 1 else "--x" if args.x and len(args.x) > 1
            else "--holdout" if args.holdout is not None else "--l2" if args.l2 else "--summary"
        )
        refused = [
            (args.compare, "--compare"), (args.model != "linear", "--model logistic"),
            (args.explain, "--explain"), (args.x_date, "--x-date"),
        ]
        for given, other in refused:
            if given:
                parser.error(f"argument {other}: not with {option} (a fit of several coefficients is the linear model's)")
        if args.degree > 1 and args.x and len(args.x) > 1:
            parser.error(f"argument --degree: takes one x column, not {len(args.x)}")
        if args.summary and not args.headless and sys.stdout.isatty():  # without a terminal gdtui runs headless anyway
            parser.error("argument --summary: with --headless (the app shows the coefficient table: v cycles the views)")
    if args.export:
        try:
            export_format(args.export)
        except ValueError as error:
            parser.error(f"argument --export: {error}")
        if args.data and same_file(args.export, args.data):
            parser.error(f"argument --export: {args.export!r} is the --data file; export to another file")
    check_sharing(args, parser)
    return args


def check_sharing(args: argparse.Namespace, parser: ArgumentParser) -> None:
    """--record, --png, --lesson and --size: each where it has a screen to work on."""
    given = [option for option in ("record", "png", "lesson") if getattr(args, option)]
    if args.serve and given:
        parser.error(f"argument --{given[0]}: not with --serve (each tab is a run of its own)")
    if args.size != (80, 24) and not (args.headless and args.lesson):
        parser.error("argument --size: only with --headless --lesson (a terminal has a size of its own)")
    if args.png and importlib.util.find_spec("matplotlib") is None:
        parser.error("argument --png: needs matplotlib: pip install 'gdtui[png]' (or matplotlib)")
    for option in ("record", "png"):
        path = getattr(args, option)
        if path is not None and not os.path.isdir(os.path.dirname(path) or "."):
            parser.error(f"argument --{option}: no folder {os.path.dirname(path)!r} to save {os.path.basename(path)!r} in")


def check_headless_sharing(args: argparse.Namespace) -> None:
    """Headless (asked for, or for want of a terminal), --record and --png need a lesson to play:
    it plays on a screen of its own. Exit 2 with one line if there is none."""
    option = next((option for option in ("record", "png") if getattr(args, option)), None)
    if args.headless and option and not args.lesson:
        build_parser().error(f"argument --{option}: not headless without --lesson (it is of the app's screen)")


REFUSED_IN_LESSONS = (
    "--lesson", "--record", "--png", "--export", "--headless", "--size", "--serve", "--host", "--port",
    "--summary", "--log-every", "--help", "-h", "--version",
)


def read_lesson(path: str) -> Lesson:
    """The --lesson file, checked whole; exit 2 with one line naming the line if it is wrong."""
    from gdtui.lesson.script import LessonError
    from gdtui.lesson.script import read_lesson as read

    try:
        return read(path)
    except LessonError as error:
        print(f"gdtui: --lesson {error}", file=sys.stderr)
        sys.exit(2)


def lesson_options(lesson: Lesson) -> list[str]:
    """The lesson's options, checked on their own, a --data file found from the lesson's folder;
    exit 2 with one line naming the lesson's line if they are wrong."""
    options = list(lesson.options)
    folder = os.path.dirname(lesson.path)
    try:
        for i, option in enumerate(options):
            name, equals, value = option.partition("=")
            if name in REFUSED_IN_LESSONS:
                raise OptionsError(f"{name} is for the command line, not a lesson's options")
            if name == "--data" and equals:
                options[i] = f"--data={os.path.join(folder, value)}"
            elif name == "--data" and i + 1 < len(options):
                options[i + 1] = os.path.join(folder, options[i + 1])
        build_parser(RaisingParser).parse_args(options)
    except OptionsError as error:
        print(f"gdtui: --lesson {lesson.path}:{lesson.options_line}: options: {error}", file=sys.stderr)
        sys.exit(2)
    return options


def many_inputs(args: argparse.Namespace) -> bool:
    """y = X w + b fitted with its statistics: several --x columns, a polynomial, or --summary asked for."""
    return args.degree > 1 or bool(args.x and len(args.x) > 1) or args.summary is not None or args.holdout is not None or args.l2 > 0


def run_config(args: argparse.Namespace) -> RunConfig:
    """The engine's RunConfig for these options (torch-free: the app's first frame waits for it)."""
    defaults = MODEL_DEFAULTS[args.model]
    on_file = args.data is not None and not args.raw  # a user's file trains well with no flags

    def given(value: float | None, default: float) -> float:
        return default if value is None else value

    chosen = args.lr == parsing.AUTO or (args.lr is None and on_file)
    return RunConfig(
        n=args.n, true_w=given(args.true_w, defaults.true_w), true_b=given(args.true_b, defaults.true_b),
        noise=args.noise, seed=args.seed, lr=None if chosen else given(args.lr, defaults.lr),
        watchable=args.lr is None and on_file, optimizer=args.optimizer, batch_size=args.batch_size,
        steps=args.steps, model=args.model, separable=args.separable, standardize=args.standardize or on_file,
    )


def race_configs(args: argparse.Namespace) -> list[RunConfig]:
    """One RunConfig per --compare SPEC: the command line's settings, with the SPEC's own."""
    return [spec.config(run_config(args)) for spec in args.compare]


def load_data(args: argparse.Namespace) -> Dataset | None:
    """The --data file's points (None without --data); exit 2 with one line if it cannot be used."""
    if not args.data:
        return None
    from gdtui.engine.data.csv_reader import CsvOptions, DataError, load_csv

    options = CsvOptions(
        na=tuple(args.na), sep=args.sep, decimal=args.decimal, thousands=args.thousands,
        encoding=args.encoding, x_date=args.x_date,
    )
    try:
        data, report = load_csv(args.data, args.x, args.y, options, classes=args.model == "logistic", positive=args.positive)
    except DataError as error:
        print(f"gdtui: error: --data {error}", file=sys.stderr)
        sys.exit(2)
    return dataclasses.replace(data, notes=tuple(f"{data.source}: {note}" for note in report.lines()))


def print_notes(data: Dataset | None) -> None:
    for note in data.notes if data else ():
        print(f"gdtui: {note}", file=sys.stderr)


def make_app(args: argparse.Namespace, *, background: bool = False, presenter: bool = True) -> RunApp[Any]:
    """The app for these options; `background` loads the engine after the first frame; without a
    `presenter` at the keyboard, a lesson's waits pass and its end quits.

    A --data file is read first, so that a bad one ends gdtui before the screen changes.
    """
    from gdtui.sharing import Sharing

    app = _app(args, background)
    app.sharing = Sharing(record=args.record, png=args.png, lesson=args.lesson, presenter=presenter)
    return app


def _app(args: argparse.Namespace, background: bool) -> RunApp[Any]:
    from gdtui.app import GdtuiApp

    if many_inputs(args):
        from gdtui.engine.regression.design import DesignError
        from gdtui.engine.run.fit import fit_design
        from gdtui.fit_app import FitApp
        from gdtui.headless.many import design_failure

        data = load_data(args)
        try:  # here, not in the app's loader: a design that cannot be fitted is one line, before the screen
            fit_design(run_config(args), data, args.degree, args.holdout)
        except DesignError as error:
            print(design_failure(error, data), file=sys.stderr)
            sys.exit(2)
        return FitApp(
            run_config(args), data, degree=args.degree, holdout=args.holdout, l2=args.l2,
            speed=args.speed, paused=args.paused, export_path=args.export, background=background,
        )
    if args.compare:
        from gdtui.race_app import RaceApp

        return RaceApp(race_configs(args), load_data(args), speed=args.speed, paused=args.paused, background=background)

    return GdtuiApp(
        run_config(args), load_data(args),
        speed=args.speed, paused=args.paused or args.explain, explain=args.explain,
        export_path=args.export, background=background,
    )


def run_app(args: argparse.Namespace, offscreen: bool = False) -> int:
    """The app for these options, recording from the start with --record; `offscreen`: on a
    screen of its own, no one at the keyboard (a lesson played headless)."""
    from gdtui.engine.data.export import ExportError

    app = make_app(args, background=True, presenter=not offscreen)
    if offscreen:
        from gdtui.terminal.driver import sparing
        from gdtui.terminal.offscreen import OffscreenDriver

        app.driver_class = sparing(OffscreenDriver)
    if args.record:
        try:  # here, once the data is read: a recording that cannot be made is one line, before the screen
            app.recorder.start(args.record)
        except ExportError as error:
            print(f"gdtui: error: --record {error}", file=sys.stderr)
            return 2
    app.run(mouse=False, size=args.size if offscreen else None)
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["run"]:
        from gdtui.run_command import main as run_script

        return run_script(argv[1:])
    args = parse_args(argv)
    if args.serve:
        from gdtui.serve import serve

        return serve(args, argv)
    web = "TEXTUAL_DRIVER" in os.environ  # run by textual-serve: the browser is the terminal
    if not args.headless and not web and not sys.stdout.isatty():
        print("gdtui: stdout is not a terminal, running headless", file=sys.stderr)
        args.headless = True
    check_headless_sharing(args)
    if args.headless and args.lesson:
        os.environ["TERM"] = "xterm-256color"  # the lesson's own screen: what its recording is drawn for
        return run_app(args, offscreen=True)
    if args.headless and many_inputs(args):
        from gdtui.headless.many import run_many

        data = load_data(args)
        print_notes(data)
        return run_many(
            run_config(args), data, args.degree, log_every=args.log_every, summary=args.summary or "text",
            holdout=args.holdout, l2=args.l2, export=args.export,
        )
    if args.headless and args.compare:
        from gdtui.headless.race import run_race_headless

        data = load_data(args)
        print_notes(data)
        return run_race_headless(race_configs(args), data, log_every=args.log_every)
    if args.headless:
        from gdtui.headless.single import run_headless

        data = load_data(args)
        print_notes(data)
        return run_headless(run_config(args), data, log_every=args.log_every, export=args.export)
    return run_app(args)


def entry_point() -> int:
    """The console script: main(), plus a quiet exit when a pipe reader goes away (`| head`)."""
    try:
        return main()
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
