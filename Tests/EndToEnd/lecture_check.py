#!/usr/bin/env python3
"""Checks one captured lecture scene against `initscope report` for the scene's scenario.

Usage: lecture_check.py BINARY SCREEN_FILE SCENE_JSON SCENE_COUNT [TRAIN_JSON_FILE]
SCENE_JSON is the scene's line of `initscope lecture --print-scenes`; TRAIN_JSON_FILE (a training scene) holds
`initscope train --format json` with the scene's "train" arguments (computed here when not given). Prints one line
per problem, exits 1 if any.

What must agree:
- the header starts with "scene K/N" and the scene's title (or as much of it as fits);
- the caption on screen matches the scene's template, every placeholder filled, no "?" left, nothing cut;
- every filled number agrees with report's JSON to the digits shown: {first} {last} {var} (variance of the
  activations; resnet and transformer: of the stream), {grad_first} {grad_last} {grad} (dL/dh; the stream's
  gradient), {ratio} {grad_ratio}, {factor} (first x factor^(L-1) printed like last), {saturated} {dead} (one
  decimal), {chi1} {depth_scale} ("-" without mean field, "inf" at chi1 = 1), the sizes, the row's name;
  {sigma_w2} with report --phase-diagram's point, {phase} with report's chi1, {sv_spread} {sv_decades} with
  report --jacobian on the scenario cut to the scene's layer.
- a training scene (its "train" is not null): the caption's numbers with `initscope train` for the same rows and
  settings, at the caption's step s ({step}): s is an evaluation step (1, 11, 21, ... or the last), not beyond the
  header's "training N/S" while it runs and the run's last step once the header says "done"; {loss@row} is the row's
  held-out loss at s ("diverged" once it has), {loss_start} at step 1, {outcome} what it did by s, {best}/{worst}
  and their losses the rows ranked at s, {steps} {lr} {optimizer} {task} {floor} the run's settings.
"""
import json
import math
import re
import subprocess
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from caption_check import agrees, NUMBER  # noqa: E402


SIDE_REPORTS = {}


def side_report(binary, args, flags):
    """report's JSON for the scene's scenario with `flags` (--phase-diagram, --jacobian), computed once."""
    key = (tuple(args), tuple(flags))
    if key not in SIDE_REPORTS:
        out = subprocess.run([binary, "report", *args, *flags, "--format", "json"], capture_output=True, text=True, check=True)
        SIDE_REPORTS[key] = json.loads(out.stdout)
    return SIDE_REPORTS[key]


OUTCOME = r"(diverged at step \d+|halved by step \d+|at \d+% of its start|\?)"
TRAINING_VALUES = ("step", "steps", "lr", "optimizer", "task", "floor", "loss", "loss_start", "outcome", "best",
                   "best_loss", "worst", "worst_loss")


def training_expected(document, train_args, s):
    """What each training value of each row reads at step s, from `initscope train`'s JSON."""
    def arg(flag):
        return train_args[train_args.index(flag) + 1]
    runs = {run["initializer"]: run for run in document["runs"]}
    held = {name: {step["step"]: step["heldOutLoss"] for step in run["steps"] if step["heldOutLoss"] is not None}
            for name, run in runs.items()}

    def diverged(name):
        d = runs[name]["diverged"]
        return d if d is not None and d <= s else None

    def loss(name):
        return "diverged" if diverged(name) else held[name].get(s)

    def outcome(name):
        if diverged(name):
            return f"diverged at step {diverged(name)}"
        points = sorted((step, value) for step, value in held[name].items() if step <= s)
        first = points[0][1]
        for step, value in points:
            if value < first / 2:
                return f"halved by step {step}"
        return f"at {int(math.floor(points[-1][1] / first * 100 + 0.5))}% of its start"

    order = list(runs)
    ranked = sorted(order, key=lambda n: (1, -diverged(n), order.index(n)) if diverged(n) else (0, loss(n), order.index(n)))
    noise = float(arg("--noise")) if "--noise" in train_args else None
    return {
        "steps": lambda n: arg("--steps"), "lr": lambda n: float(arg("--lr")), "optimizer": lambda n: arg("--optimizer"),
        "task": lambda n: arg("--task"), "floor": lambda n: "-" if noise is None else noise * noise,
        "loss": loss, "loss_start": lambda n: held[n].get(1), "outcome": outcome,
        "best": lambda n: ranked[0], "best_loss": lambda n: loss(ranked[0]),
        "worst": lambda n: ranked[-1], "worst_loss": lambda n: loss(ranked[-1]),
    }


def final_step(document):
    """The caption's step once the run is done: the last evaluation of the rows that did not diverge (the last
    divergence when every row did)."""
    going = [run for run in document["runs"] if run["diverged"] is None]
    if not going:
        return max(run["diverged"] for run in document["runs"])
    return min(max(step["step"] for step in run["steps"] if step["heldOutLoss"] is not None) for run in going)


def check_training(scene, names, match, header, document, problems):
    """The training values of the caption against `initscope train`'s JSON (see the module's docstring)."""
    train_args = scene["train"]
    steps = int(train_args[train_args.index("--steps") + 1])
    every = int(train_args[train_args.index("--eval-every") + 1])
    running = re.search(r"training (\d+)/(\d+)\s*$", header)
    shown = dict(zip(names, match.groups())) if match else {}
    if "step" in shown:
        if shown["step"] == "?":
            problems.append("{step} still '?'")
            return
        s = int(shown["step"])
        if not ((s - 1) % every == 0 or s == steps):
            problems.append(f"{{step}} {s} is no evaluation step (1, 1+{every}, ..., {steps})")
        if running and s > int(running.group(1)):
            problems.append(f"{{step}} {s} beyond the header's step {running.group(1)}")
        if header.rstrip().endswith("done") and s != final_step(document):
            problems.append(f"{{step}} {s} in the finished run, train's last evaluation {final_step(document)}")
    else:
        if running:
            return   # without {step} the caption's step is known only once the run is done
        s = final_step(document)
    expected = training_expected(document, train_args, s)
    for index, name in enumerate(names):
        value, row = (name.split("@", 1) + [scene["focus"]])[:2]
        if value not in TRAINING_VALUES or value == "step":
            continue
        text = match.group(index + 1)
        if text == "?":
            problems.append(f"{{{name}}} still '?' at step {s}")
            continue
        want = expected[value](row)
        if isinstance(want, float) and text not in ("diverged",):
            if not agrees(text, want):
                problems.append(f"{{{name}}} shows {text}, train at step {s}: {want}")
        elif str(want) != text:
            problems.append(f"{{{name}}} shows {text}, train at step {s}: {want}")


def main():
    binary, screen_file, scene_json, scene_count = sys.argv[1:5]
    scene = json.loads(scene_json)
    lines = open(screen_file, encoding="utf-8").read().rstrip("\n").split("\n")
    problems = []
    header = lines[0] if lines else ""
    counter = f"scene {scene['scene']}/{scene_count} "
    if not header.startswith(counter):
        problems.append(f"header {header!r} does not start with {counter!r}")
    else:
        shown_title = header[len(counter):].split("  ")[0].rstrip(".")
        if not scene["title"].startswith(shown_title) or len(shown_title) < min(10, len(scene["title"])):
            problems.append(f"header title {shown_title!r}, scene title {scene['title']!r}")

    args = scene["report"]
    arch = args[args.index("--arch") + 1]
    extra = [] if arch == "mlp" else ["--sites", "stream"]
    report = subprocess.run([binary, "report", *args, *extra, "--format", "json"], capture_output=True, text=True, check=True)
    document = json.loads(report.stdout)
    runs = {run["initializer"]: run for run in document["runs"]}
    depth = int(args[args.index("--depth") + 1])
    sizes = {"depth": depth, "width": int(args[args.index("--width") + 1]), "batch": int(args[args.index("--batch") + 1])}
    forward, backward = ("activation", "activationGradient") if arch == "mlp" else ("stream", "streamGradient")

    # The caption: the lines above the status line, joined (a scene caption takes up to 3).
    caption_text = " ".join(line.strip() for line in lines[-4:-1] if line.strip())
    segments = re.split(r"(\{[a-z0-9_]+(?:@[^}]+)?\})", scene["caption"].replace("{{", "\0").replace("}}", "\1"))
    pattern, names = "", []
    for segment in segments:
        if segment.startswith("{") and segment.endswith("}"):
            pattern += OUTCOME if segment[1:-1].split("@")[0] == "outcome" else r"(\S+?)"
            names.append(segment[1:-1])
        else:
            words = segment.replace("\0", "{").replace("\1", "}")
            pattern += r"\s+".join(re.escape(part) for part in words.split(" ")) if words.strip() else r"\s*"
    match = re.search(pattern + "$", caption_text)
    if not match:
        problems.append(f"caption does not match the template:\n  template {scene['caption']!r}\n  screen   {caption_text!r}")
        names = []

    def variance(run, quantity, layer):
        entry = run["layers"][layer - 1][quantity]
        return None if entry["nonFinite"] > 0 or entry["variance"] is None else entry["variance"]

    if scene.get("train") and match:
        if len(sys.argv) > 5:
            train_document = json.load(open(sys.argv[5], encoding="utf-8"))
        else:
            out = subprocess.run([binary, "train", *scene["train"], "--format", "json"], capture_output=True, text=True, check=True)
            train_document = json.loads(out.stdout)
        check_training(scene, names, match, header, train_document, problems)
    for index, name in enumerate(names):
        shown = match.group(index + 1)
        value, row = (name.split("@", 1) + [scene["focus"]])[:2]
        if value in TRAINING_VALUES:
            continue
        run = runs.get(row)
        if shown == "?":
            problems.append(f"{{{name}}} still '?' in the complete picture")
            continue
        if run is None:
            problems.append(f"{{{name}}}: report has no run {row}")
            continue
        layer = {"first": 1, "last": depth, "var": scene["layer"], "grad_first": 1, "grad_last": depth, "grad": scene["layer"]}
        quantity = forward if value in ("first", "last", "var") else backward
        if value in layer:
            expected = variance(run, quantity, layer[value])
            if not agrees(shown, expected):
                problems.append(f"{{{name}}} shows {shown}, report {expected}")
        elif value == "ratio":
            expected = variance(run, forward, depth) / variance(run, forward, 1)
            if not agrees(shown, expected):
                problems.append(f"{{{name}}} shows {shown}, report {expected}")
        elif value == "grad_ratio":
            expected = variance(run, backward, 1) / variance(run, backward, depth)
            if not agrees(shown, expected):
                problems.append(f"{{{name}}} shows {shown}, report {expected}")
        elif value == "factor":
            first, last = variance(run, forward, 1), variance(run, forward, depth)
            shown_first = float(f"{first:.3g}")
            implied = shown_first * float(shown) ** (depth - 1)
            if not re.fullmatch(NUMBER, shown) or not (agrees(f"{last:.3g}", implied) or abs(implied / last - 1) < 0.006):
                problems.append(f"{{{name}}} x{shown}: {shown_first} x {shown}^{depth - 1} = {implied:.4g}, report last {last:.4g}")
        elif value in ("saturated", "dead"):
            field = "saturatedFraction" if value == "saturated" else "zeroFraction"
            expected = f"{100 * run['layers'][depth - 1][forward][field]:.1f}%"
            if shown.rstrip(".,;)") != expected:
                problems.append(f"{{{name}}} shows {shown}, report {expected}")
        elif value in ("chi1", "depth_scale"):
            expected = run["chi1"] if value == "chi1" else run["depthScale"]
            if run["chi1"] is None:
                ok = shown == "-"
            elif expected is None:
                ok = shown == "inf"
            else:
                ok = agrees(shown, expected)
            if not ok:
                problems.append(f"{{{name}}} shows {shown}, report {expected}")
        elif value in sizes:
            if shown != str(sizes[value]):
                problems.append(f"{{{name}}} shows {shown}, scenario {sizes[value]}")
        elif value == "layer":
            if shown != str(scene["layer"]):
                problems.append(f"{{{name}}} shows {shown}, scene layer {scene['layer']}")
        elif value == "name":
            if shown != row:
                problems.append(f"{{{name}}} shows {shown}, row {row}")
        elif value == "sigma_w2":
            diagram = side_report(binary, args, ["--phase-diagram"])
            points = {point["initializer"]: point for point in diagram["phaseDiagram"]["points"]}
            expected = points[row]["sigmaW2"] if row in points else None
            if not agrees(shown, expected):
                problems.append(f"{{{name}}} shows {shown}, report --phase-diagram {expected}")
        elif value == "phase":
            chi1 = run["chi1"]
            expected = "-" if chi1 is None else "critical" if abs(chi1 - 1) <= 1e-3 else "ordered" if chi1 < 1 else "chaotic"
            if shown != expected:
                problems.append(f"{{{name}}} shows {shown}, report chi1 {chi1}: {expected}")
        elif value in ("sv_spread", "sv_decades"):
            # The spectrum of J at the scene's layer: report --jacobian on the scenario cut to that many layers.
            cut = list(args)
            cut[cut.index("--depth") + 1] = str(scene["layer"])
            jacobians = {r["initializer"]: r["jacobian"] for r in side_report(binary, cut, ["--jacobian"])["runs"]}
            spectrum = jacobians.get(row)
            if spectrum is None:
                problems.append(f"{{{name}}}: report --jacobian has no run {row}")
                continue
            values = spectrum["log10SingularValues"]
            expected = spectrum["layers"][-1]["normalizedSpread"] if value == "sv_spread" else max(values) - min(values)
            if value == "sv_decades":
                # "11+": some singular values lie below the resolution floor, so the spread is wider than shown.
                if shown.endswith("+") != (spectrum["unresolved"] > 0):
                    problems.append(f"{{{name}}} shows {shown}, report unresolved {spectrum['unresolved']}")
                shown = shown.rstrip("+")
            if not agrees(shown, expected):
                problems.append(f"{{{name}}} shows {shown}, report --jacobian {expected}")
    if caption_text.endswith("..."):
        problems.append(f"caption cut: {caption_text!r}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
