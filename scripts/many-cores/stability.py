#!/usr/bin/env python3
"""The stability protocol of scripts/stability.sh, many times at once: the
lent machine is cut into pairs of CPUs, each a small 2-core machine with two
busy loops of its own, and each pair grades one fixture crate at a time with
`checker --repeat N`, pinned there with taskset. The crates come from one
queue; a crate is started only if the time left allows for it (half as long
again as the slowest of its exercise so far, or as GUESS below if that is
longer), and one still running when
SECONDS are up is stopped and reported as unfinished, not as a result.
On the lent 16-core machine a pair took one to three times as long per
crate as the 2-core machine, its pairs sharing cores through hyperthreads.

A pair never holds two hyperthreads of one core: its CPUs sit on different
cores, as on a real 2-core machine. Pairs do share cores with each other
where the machine has hyperthreads, which only adds load.

    stability.py CHECKER ROOT REPEAT SECONDS NUMBER...

NUMBER (06) picks the exercises, in order. Prints one line per crate as it
ends, then per exercise the crates stable out of those graded. Exits 1 when
any crate changed or could not be graded.
"""
import collections, glob, os, pathlib, subprocess, sys, threading, time

checker, root = sys.argv[1], pathlib.Path(sys.argv[2])
repeat, seconds = int(sys.argv[3]), float(sys.argv[4])
numbers = sys.argv[5:]
if repeat < 2:
    sys.exit("stability.py: REPEAT must be 2 or more: one run has nothing to compare")
# Seconds one crate took at 50 runs on the 2-core machine, per exercise:
# scaled to REPEAT, the first guess of how long one takes here, until one
# of the exercise has ended.
GUESS = {"03": 110, "05": 220, "06": 150, "07": 150, "09": 190, "10": 330, "11": 570, "12": 210}
SKIP = {"alternating", "endless_compile"}


def pairs():
    """Pairs of CPUs, the two of each on different cores."""
    cpus = sorted(os.sched_getaffinity(0))
    cores = collections.defaultdict(list)
    for cpu in cpus:
        topo = pathlib.Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            key = ((topo / "physical_package_id").read_text().strip(),
                   (topo / "core_id").read_text().strip())
        except OSError:
            key = ("?", str(cpu))
        cores[key].append(cpu)
    core_of = {cpu: key for key, cs in cores.items() for cpu in cs}
    # The first hyperthread of every core, then the second of every core...
    order = []
    for level in range(max(len(c) for c in cores.values())):
        order += [c[level] for c in cores.values() if len(c) > level]
    return [order[i:i + 2] for i in range(0, len(order) - 1, 2)
            if core_of[order[i]] != core_of[order[i + 1]]]


def grade(pair, number, crate):
    """Grades one crate on `pair`; (result, details) as stability.sh has it,
    or ("unfinished", "") if SECONDS ran out first."""
    cpus = ",".join(map(str, pair))
    left_s = seconds - (time.monotonic() - started)
    try:
        run = subprocess.run(
            ["taskset", "-c", cpus, checker, number, "--subject", crate,
             "--repeat", str(repeat), "--build-timeout", "300", "--color", "never"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            timeout=max(left_s, 1))
    except subprocess.TimeoutExpired:
        return "unfinished", ""
    out = run.stdout
    if run.returncode == 2 or "Stability:" not in out:
        return f"error (exit {run.returncode})", out[-2000:]
    if "changed between runs" in out:
        return "changed", out[out.index("Stability:"):]
    return ("stable, passed" if run.returncode == 0 else "stable"), ""


queue = []
for number in numbers:
    for crate in sorted(glob.glob(f"{root}/tests/fixtures/{number}_*/*/")):
        if os.path.basename(crate.rstrip("/")) not in SKIP:
            queue.append((number, crate.rstrip("/")))
started = time.monotonic()
lock = threading.Lock()
took = collections.defaultdict(list)
results = collections.defaultdict(list)
left = list(queue)
unfinished = []


def worker(pair):
    busy = [subprocess.Popen(["taskset", "-c", ",".join(map(str, pair)), "sh", "-c",
                              "while :; do :; done"]) for _ in range(2)]
    try:
        while True:
            with lock:
                # The first crate in the queue that still fits in the time.
                elapsed = time.monotonic() - started
                fits = [i for i, (n, _) in enumerate(left)
                        if elapsed + 1.5 * max(took[n] + [GUESS.get(n, 300) * repeat / 50])
                        <= seconds]
                if not fits:
                    return
                number, crate = left.pop(fits[0])
            t0 = time.monotonic()
            result, details = grade(pair, number, crate)
            t = time.monotonic() - t0
            with lock:
                if result == "unfinished":
                    unfinished.append(crate)
                    return
                took[number].append(t)
                results[number].append((os.path.basename(crate), result))
                print(f"{number} {os.path.basename(crate)}: {result}, {repeat} runs, "
                      f"{t:.0f} s on CPUs {pair} ({time.monotonic() - started:.0f} s so far)",
                      flush=True)
                if details:
                    print("    " + details.replace("\n", "\n    "), flush=True)
    finally:
        for p in busy:
            p.kill()


all_pairs = pairs()
print(f"{len(all_pairs)} pairs of CPUs: {all_pairs}; {len(queue)} crates queued; "
      f"{repeat} runs each; {seconds:.0f} s", flush=True)
threads = [threading.Thread(target=worker, args=(p,)) for p in all_pairs]
for t in threads:
    t.start()
for t in threads:
    t.join()
bad = 0
for number in numbers:
    done = results[number]
    stable = sum(r.startswith("stable") for _, r in done)
    bad += len(done) - stable
    total = sum(1 for n, _ in queue if n == number)
    print(f"{number}: {stable} of {len(done)} graded crates stable "
          f"({total - len(done)} of {total} not graded: no time left)")
print(f"not started: {len(left)} crates; stopped unfinished when the time ran out: "
      f"{len(unfinished)}; {time.monotonic() - started:.0f} s in all")
sys.exit(1 if bad else 0)
