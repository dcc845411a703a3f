"""How files write "no value": the markers gdtui skips (imported by --help, so nothing heavy)."""

# R (NA), Excel (#N/A, #DIV/0!, ...), pandas (NaN, <NA>), databases (NULL), SAS and Stata (.),
# the UCI repository (?), and by hand (-, blank).
MISSING = (
    "", "NA", "N/A", "n/a", "na", "#N/A", "#NA", "<NA>", "NaN", "nan", "-nan", "NAN", "null", "NULL",
    "Null", "None", "none", "?", ".", "-", "--", "#DIV/0!", "#VALUE!", "#NUM!", "#REF!", "#NAME?", "#NULL!",
)
