#!/usr/bin/env python3
"""Huge but accepted flag values are shown honestly: --bias-std 1e30, normal:1e30, uniform:1e30, gains of 1e30 and
leaky-relu:1000 (the tops of the accepted ranges) never trap, and every number printed is either the true value or
marked non-finite (JSON null; CSV and table print inf for a mean-field value beyond Double's range and empty / "-"
for moments of a quantity with no finite element); one step above the range is refused with one line, status 64.
Decided for issue 8: accept and show (the values stay finite in Float32; what overflows is the network's own
explosion, counted in nonFinite), rather than refuse (huge weights are a lesson: the signal overflows).
Usage: huge_values.py BINARY    Prints one line per failure; exits 1 on any failure."""
import json
import math
import os
import subprocess
import sys

ACTIVATIONS = ["linear", "tanh", "relu", "leaky-relu:1000", "sigmoid", "gelu", "selu"]
HUGE_INITS = "normal:1e30,uniform:1e30,xavier-normal:1e30,he-uniform:1e30,orthogonal:1e30,lsuv"
SMALL = ["--depth", "6", "--width", "32", "--batch", "16"]
failures = []


def run(binary, arguments):
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", TERM="xterm-256color")
    done = subprocess.run([binary] + arguments, capture_output=True, env=environment, timeout=120)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def fail(what):
    failures.append(what)


def numbers(value):
    """Every number in a JSON value (None for null)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def check_report_json(binary, label, arguments):
    code, out, err = run(binary, ["report", "--format", "json", "--histograms"] + arguments)
    if code != 0:
        fail(f"{label}: status {code}: {err.strip()[:200]}")
        return None
    try:
        document = json.loads(out)
    except ValueError as error:
        fail(f"{label}: invalid JSON ({error})")
        return None
    if any(isinstance(n, float) and not math.isfinite(n) for n in numbers(document)):
        fail(f"{label}: a non-finite number in the JSON (must be null)")
    return document


def main():
    binary = sys.argv[1]
    # 1. No trap, valid output, in every format, for every activation at the top of every range.
    for activation in ACTIVATIONS:
        arguments = SMALL + ["--activation", activation, "--bias-std", "1e30", "--init", HUGE_INITS]
        check_report_json(binary, f"report json {activation}", arguments)
        for form in ("csv", "table"):
            code, out, err = run(binary, ["report", "--format", form] + arguments)
            if code != 0 or not out or err:
                fail(f"report {form} {activation}: status {code}, stderr {err.strip()[:200]!r}")
    for activation in ("tanh", "relu"):
        code, out, err = run(binary, ["bench", "--init", "normal:1e30", "--activation", activation, "--repeats", "1",
                                      "--depth", "6", "--width", "64", "--batch", "32"])
        if code != 0:
            fail(f"bench normal:1e30 {activation}: status {code}: {err.strip()[:200]}")

    # 2. Honest numbers. A 1e30 bias: h = b to Float32 precision, q(h) = 1e60 (within sampling: 512 draws, 3 sd
    #    of a chi-square mean = 3 sqrt(2/512) = 19%), equal to the mean-field value; tanh saturates every unit.
    document = check_report_json(binary, "bias 1e30", ["--depth", "3", "--width", "512", "--batch", "1",
                                                        "--activation", "tanh", "--bias-std", "1e30", "--init", "xavier"])
    if document:
        layer = document["runs"][0]["layers"][0]
        q = layer["preactivation"]["secondMoment"]
        if q is None or abs(q / 1e60 - 1) > 0.19:
            fail(f"bias 1e30: layer-1 q(h) {q}, expected 1e60 within 19%")
        predicted = layer["theory"]["preactivationSecondMoment"]
        if predicted is None or abs(predicted / q - 1) > 1e-6:
            fail(f"bias 1e30: mean field {predicted} is not seeded with the measured {q}")
        if layer["activation"]["saturatedFraction"] != 1.0:
            fail(f"bias 1e30: tanh saturation {layer['activation']['saturatedFraction']}, expected 1.0")
    # 3. normal:1e30 under ReLU overflows Float32 at layer 2 (|h| ~ 1e30 * 1e31): every h there is non-finite, its
    #    moments are null, and nothing is "saturated" (ReLU has no saturation; +-inf was counted as saturated).
    document = check_report_json(binary, "normal:1e30 relu", SMALL + ["--activation", "relu", "--init", "normal:1e30"])
    if document:
        layer = document["runs"][0]["layers"][1]["preactivation"]
        if layer["nonFinite"] != 32 * 16 or layer["variance"] is not None or layer["mean"] is not None:
            fail(f"normal:1e30 relu layer 2: nonFinite {layer['nonFinite']}, variance {layer['variance']}")
        for quantity in ("preactivation", "activation"):
            for index, entry in enumerate(document["runs"][0]["layers"], 1):
                if entry[quantity]["saturatedFraction"] != 0:
                    fail(f"normal:1e30 relu layer {index}: {quantity} saturatedFraction "
                         f"{entry[quantity]['saturatedFraction']} (ReLU never saturates)")
        # The mean-field q beyond Double's range is null, never a number.
        last = document["runs"][0]["layers"][-1]["theory"]["preactivationSecondMoment"]
        if last is not None:
            fail(f"normal:1e30 relu: layer-6 mean-field q {last}, expected null (about 1e369)")

    # 4. One step above each range: one line, status 64.
    for arguments in (["--bias-std", "1.1e30"], ["--init", "normal:1.1e30"], ["--activation", "leaky-relu:1001"],
                      ["--bias-std", "inf"], ["--bias-std", "nan"], ["--init", "normal:1e-31"]):
        code, out, err = run(binary, ["report"] + SMALL + arguments)
        if code != 64 or out or len(err.splitlines()) != 1:
            fail(f"report {' '.join(arguments)}: status {code}, {len(err.splitlines())} stderr lines, stdout {len(out)} bytes")
    for line in failures:
        print(line)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
