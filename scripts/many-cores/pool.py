#!/usr/bin/env python3
"""Runs each check of the parallel exercises' reference solutions with
rayon's own default pool: one worker per core, where the checker always
gives 4. The harness binaries are started by hand, as the checker starts
them but without RAYON_NUM_THREADS, and each check's verdict is read from
the records a harness writes on stderr when no record file is named.
Exits 1 unless every check passed.

    pool.py TARGET_DIR
"""
import glob, json, os, pathlib, subprocess, sys, tempfile

target = pathlib.Path(sys.argv[1])
env = {k: v for k, v in os.environ.items() if k != "RAYON_NUM_THREADS"}
env.update(CHECKER_SEED="1", CHECKER_DEADLINE_MS="60000", RUST_BACKTRACE="0")
scratch = tempfile.mkdtemp()
env["CHECKER_ARTIFACTS"] = scratch


def records(args):
    done = subprocess.run(args, env=env, cwd=scratch, capture_output=True,
                          text=True, timeout=120)
    for line in done.stderr.splitlines():
        if line.startswith("[record] "):
            yield json.loads(line[len("[record] "):])


failed = 0
print(f"rayon's default pool on {os.cpu_count()} cores (RAYON_NUM_THREADS unset)")
for number in ["06", "07", "08", "09", "10", "12"]:
    # The solutions' harness: the one the checker built for --solutions.
    binary = next((p for p in sorted(glob.glob(f"{target}/debug/grade-{number}_*-solutions-*"))
                   if not p.endswith(".d")), None)
    if binary is None:
        sys.exit(f"pool.py: no harness of the solutions of {number} in {target}/debug: "
                 "run prepare.sh first")
    checks = next(r["checks"] for r in records([binary, "--list"]) if r.get("type") == "checks")
    for check in checks:
        verdicts = [r for r in records([binary, "--check", check["name"]])
                    if r.get("type") == "verdict"]
        outcome = verdicts[-1]["outcome"] if verdicts else "no verdict"
        failed += outcome != "passed"
        message = verdicts[-1].get("message", "") if verdicts else ""
        print(f"  {number} {check['name']}: {outcome}: {message[:240]}")
sys.exit(1 if failed else 0)
