#!/usr/bin/env python3
"""Checks a captured live screen against `initscope report` for the same scenario.

Usage: caption_check.py BINARY SCREEN_FILE ACTIVATION DEPTH WIDTH BATCH SEED FOCUS
Prints one line per problem and exits 1 when there is any (0 when the screen agrees).

What must agree, to the digits the screen shows:
- the focused row's L1 and L<depth> numbers (activation and gradient variance) with report's var(x), var(dh);
- every number of the caption: first and last variance ("holds" only for a change under 25%), the per-layer factor (first x r^(L-1) printed with the
  last number's digits gives the last number), saturated and dead percentages, the gradient ratio (2%, as it is
  computed from 3-digit numbers), the first non-finite layer, the finite-width band verdict;
- no number is cut: the caption does not end in "..." and every number in it parses whole.
"""
import json
import math
import re
import subprocess
import sys

NUMBER = r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?"


def significant_digits(text):
    """Significant digits of a printed number ("0.0950" -> 3, "6.0e-16" -> 2, "10.6" -> 3, "5" -> 1)."""
    mantissa = text.lstrip("-").split("e")[0]
    digits = mantissa.replace(".", "").lstrip("0")
    return max(1, len(digits))


def agrees(shown, value):
    """True when `value` rounded to the digits of `shown` is `shown` (0 must be exactly 0)."""
    if shown == "NaN/inf":
        return value is None or not math.isfinite(value)
    if value is None or not math.isfinite(value):
        return False
    number = float(shown)
    if number == 0:
        return value == 0
    digits = significant_digits(shown)
    rounded = float(f"{value:.{digits}g}")
    return math.isclose(rounded, number, rel_tol=1e-9) or abs(value - number) <= 0.5 * 10 ** (math.floor(math.log10(abs(number))) - digits + 1) * (1 + 1e-9)


def main():
    binary, screen_file, activation, depth, width, batch, seed, focus = sys.argv[1:9]
    depth = int(depth)
    lines = open(screen_file, encoding="utf-8").read().split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    caption = lines[-2].rstrip() if len(lines) >= 2 else ""
    problems = []
    report = subprocess.run([binary, "report", "--activation", activation, "--init", focus, "--depth", str(depth),
                             "--width", width, "--batch", batch, "--seed", seed, "--format", "json"],
                            capture_output=True, text=True, check=True)
    layers = json.loads(report.stdout)["runs"][0]["layers"]

    def stat(layer, quantity, field):
        entry = layers[layer - 1][quantity]
        return entry[field]

    def variance(layer, quantity):
        entry = layers[layer - 1][quantity]
        if entry["nonFinite"] > 0 or entry["variance"] is None:
            return None
        return entry["variance"]

    # The focused row's numbers: "▶name  spark A B spark C D".
    row = next((line for line in lines if line.startswith("▶" + focus + " ")), None)
    if row is None:
        problems.append(f"no focused row for {focus}")
    else:
        numbers = [token for token in row[1 + len(focus):].split() if re.fullmatch(NUMBER, token) or token == "NaN/inf"]
        if len(numbers) == 4:
            for shown, (layer, quantity) in zip(numbers, [(1, "activation"), (depth, "activation"),
                                                        (1, "activationGradient"), (depth, "activationGradient")]):
                if not agrees(shown, variance(layer, quantity)):
                    problems.append(f"row {focus}: {shown} for {quantity} L{layer}, report {variance(layer, quantity)}")
        else:
            problems.append(f"row {focus}: expected 4 numbers, read {numbers} in {row!r}")

    # No number cut: a caption never ends in "...", and each number is whole (checked by the comparisons below).
    if caption.endswith("..."):
        problems.append(f"caption cut: {caption!r}")
    body = caption.split(": ", 1)[1] if ": " in caption else caption

    span = re.search(rf"({NUMBER}) at layer 1, ({NUMBER}) at layer (\d+)", body) \
        or re.search(rf"({NUMBER}) -> ({NUMBER})(?: by (?:layer |L)(\d+))?", body)
    if span:
        first, last = span.group(1), span.group(2)
        top = int(span.group(3) or depth)
        if not agrees(first, variance(1, "activation")):
            problems.append(f"caption first {first}, report var(x) L1 {variance(1, 'activation')}")
        if not agrees(last, variance(top, "activation")):
            problems.append(f"caption last {last}, report var(x) L{top} {variance(top, 'activation')}")
        factor = re.search(rf"x({NUMBER})(?:\)| each layer|/layer| per layer)", body)
        rate = float(factor.group(1)) if factor else 0.5 if "halves" in body else 2.0 if "doubles" in body else None
        if rate is not None and "holds" not in body and "band" not in body:
            implied = float(first) * rate ** (top - 1)
            if not agrees(last, implied):
                problems.append(f"caption factor x{rate}: {first} x {rate}^{top - 1} = {implied:.4g}, shown {last}")
        if "holds" in body and float(first) > 0 and not 0.8 <= float(last) / float(first) <= 1.25:
            problems.append(f"caption says holds for {first} -> {last} (x{float(last) / float(first):.3g}, over 25%)")
        band = re.search(rf"(within|outside) the finite-width band ({NUMBER})\.\.({NUMBER})", body)
        if band:
            inside = float(band.group(2)) <= float(last) <= float(band.group(3))
            if inside != (band.group(1) == "within"):
                problems.append(f"band verdict {band.group(1)} for {last} in {band.group(2)}..{band.group(3)}")

    saturated = re.search(rf"({NUMBER})% (?:of units )?saturated at (?:layer |L)(\d+)", body)
    if saturated:
        value = 100 * stat(int(saturated.group(2)), "activation", "saturatedFraction")
        if f"{value:.1f}" != saturated.group(1):
            problems.append(f"caption {saturated.group(1)}% saturated, report {value:.2f}%")
    dead = re.search(rf"({NUMBER})% (?:of units )?dead", body)
    if dead:
        layer = int(re.search(r"dead.*?(?:layer |L)(\d+)", body).group(1))
        value = 100 * stat(layer, "activation", "zeroFraction")
        if f"{value:.1f}" != dead.group(1):
            problems.append(f"caption {dead.group(1)}% dead, report {value:.2f}%")
    gradients = re.search(rf"gradients (?:grow|shrink) x({NUMBER})", body)
    if gradients:
        bottom, top = variance(1, "activationGradient"), variance(depth, "activationGradient")
        ratio = bottom / top if bottom and top else None
        if ratio is None or abs(float(gradients.group(1)) / ratio - 1) > 0.02 + 0.5 * 10 ** (1 - significant_digits(gradients.group(1))):
            problems.append(f"caption gradients x{gradients.group(1)}, report ratio {ratio}")
    overflow = re.search(r"inf/NaN from (?:layer |L)(\d+) on", body)
    if overflow:
        first_bad = next((index + 1 for index, layer in enumerate(layers)
                          if layer["activation"]["nonFinite"] > 0 or layer["preactivation"]["nonFinite"] > 0), None)
        if first_bad != int(overflow.group(1)):
            problems.append(f"caption overflow from layer {overflow.group(1)}, report first non-finite activation {first_bad}")
    # "the signal underflows float32: exactly 0 from layer K on" / "all weights 0: every unit is exactly 0 from layer K":
    # K is the first layer whose pre-activations are all exactly 0.
    zeros = re.search(r"exactly 0 from (?:layer |L)(\d+)", body)
    if zeros:
        first_zero = next((index + 1 for index, layer in enumerate(layers)
                           if layer["preactivation"]["zeroFraction"] >= 1), None)
        if first_zero != int(zeros.group(1)):
            problems.append(f"caption exactly 0 from layer {zeros.group(1)}, report first all-zero pre-activation {first_zero}")
    if not (span or saturated or dead or overflow or zeros):
        problems.append(f"caption with no number to check: {caption!r}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
