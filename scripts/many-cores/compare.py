#!/usr/bin/env python3
"""Sets two machines' verdicts side by side: for every JSON report that
grade.sh wrote into BASE (this machine) and DEVICE (the many-core one),
each check's outcome on both. Prints per exercise how many crates got the
same outcome in every check, and each check that differs with both
messages. Exits 1 when any differs or a report is missing.

    compare.py BASE DEVICE
"""
import collections, json, pathlib, sys

base, device = map(pathlib.Path, sys.argv[1:3])


def outcomes(path):
    """(exercise, check) -> (outcome, message) of one report, or None."""
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    found = {}
    for ex in report.get("exercises", []):
        for check in ex.get("checks", []):
            found[(ex["id"], check["name"])] = (check["outcome"], check.get("message", ""))
        if not ex.get("checks"):
            found[(ex["id"], "(build)")] = (ex.get("status", "?"), ex.get("message", ""))
    return found


per_exercise = collections.defaultdict(lambda: [0, 0])
differ = []
for path in sorted(base.glob("*.json")):
    ours, theirs = outcomes(path), outcomes(device / path.name)
    group = "solutions" if path.stem == "solutions" else path.stem.split("-")[0]
    per_exercise[group][1] += 1
    if ours is None or theirs is None:
        differ.append(f"{path.stem}: report missing or unreadable on "
                      f"{'this machine' if ours is None else 'the device'}")
        continue
    changed = [k for k in sorted(set(ours) | set(theirs)) if
               ours.get(k, ("absent",))[0] != theirs.get(k, ("absent",))[0]]
    if not changed:
        per_exercise[group][0] += 1
    for key in changed:
        a, b = ours.get(key, ("absent", "")), theirs.get(key, ("absent", ""))
        differ.append(f"{path.stem} {key[1]}: {a[0]} here, {b[0]} there\n"
                      f"    here:  {a[1][:300]}\n    there: {b[1][:300]}")

print("crates with the same outcome in every check, per group:")
for group, (same, total) in sorted(per_exercise.items()):
    print(f"  {group}: {same}/{total}")
if differ:
    print("\ndifferences:")
    print("\n".join(differ))
sys.exit(1 if differ else 0)
