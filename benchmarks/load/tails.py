"""Where claude-lb's slowest requests at concurrency 1 come from (issue 14: "find where the p99 comes from").

The interleaved client writes every round's start and duration per target (System.nanoTime()); claude-lb runs with
-Xlog:safepoint decorated with timenanos, the same monotonic clock on Linux. A request of claude-lb's slowest 1 % is
attributed, in this order, to:
  safepoint  a JVM safepoint (a GC pause or another VM operation) overlapped it: the JVM stopped the event loop
  run queue  the threads on the request's path (the client's, claude-lb's event loops, the mock's) waited on the
             kernel's run queue (runnable, with another thread or process on their core) for at least half of the
             request's time beyond claude-lb's median: the machine took a core away (the client reads the threads'
             /proc schedstat around each request)
  machine    neither, but in the same round nginx or direct was in its own slowest 1 % too: the shared machine's
             moment, which the interleaving spreads over all targets
  own        none of these: time in claude-lb's own code path (a slow flush, a timer, a cache miss, JIT)
How often a safepoint overlaps any of claude-lb's requests is the base rate a tail share is read against, and the
median run-queue wait of the tail is shown beside that of all requests.
"""
import re

SAFEPOINT = re.compile(r"\[(\d+)ns\].*Safepoint \"([^\"]+)\".*Total: (\d+) ns")
# The log line is written as the safepoint ends; its time and the client's are read a few microseconds apart.
SLACK_NS = 20_000


def safepoints(path):
    """(start_ns, end_ns, operation) of every safepoint in a -Xlog:safepoint file decorated with timenanos."""
    out = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = SAFEPOINT.search(line)
                if m:
                    end, total = int(m.group(1)), int(m.group(3))
                    out.append((end - total, end, m.group(2)))
    except FileNotFoundError:
        return []
    out.sort()
    return out


def rounds(path, targets):
    """Per measured round, {target: (start_ns, duration_ns, run_queue_wait_ns or -1)}."""
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            v = [int(x) for x in line.split()]
            if len(v) == 3 * len(targets):
                out.append({t: (v[3 * i], v[3 * i + 1], v[3 * i + 2]) for i, t in enumerate(targets)})
    return out


def overlapping(windows, start, end):
    """The operation of a safepoint window overlapping [start, end], or None (windows sorted by start)."""
    lo, hi = 0, len(windows)
    while lo < hi:  # first window that starts after end + slack
        mid = (lo + hi) // 2
        if windows[mid][0] <= end + SLACK_NS:
            lo = mid + 1
        else:
            hi = mid
    for i in range(lo - 1, max(-1, lo - 50), -1):
        w_start, w_end, op = windows[i]
        if w_end + SLACK_NS >= start:
            return op
    return None


def quantile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0


def attribute(rounds_path, safepoint_path, targets, subject="claude-lb"):
    """The shares of the subject's slowest 1 % (and of all its requests) by cause, and the safepoint operations."""
    rs = rounds(rounds_path, targets)
    windows = safepoints(safepoint_path)
    if not rs:
        return None
    p99 = {t: quantile([r[t][1] for r in rs], 0.99) for t in targets}
    median = quantile([r[subject][1] for r in rs], 0.5)
    others = [t for t in targets if t != subject]

    def cause(r):
        start, dur, waited = r[subject]
        op = overlapping(windows, start, start + dur)
        if op:
            return "safepoint", op
        if waited >= 0 and waited * 2 >= dur - median:
            return "run queue", None
        if any(r[t][1] >= p99[t] for t in others):
            return "machine", None
        return "own", None

    tail = [r for r in rs if r[subject][1] >= p99[subject]]
    counts = {"safepoint": 0, "run queue": 0, "machine": 0, "own": 0}
    ops = {}
    own = []
    for r in tail:
        kind, op = cause(r)
        counts[kind] += 1
        if op:
            ops[op] = ops.get(op, 0) + 1
        if kind == "own":
            own.append(r[subject][1])
    overlapped = sum(1 for r in rs if overlapping(windows, r[subject][0], r[subject][0] + r[subject][1]))
    waits_tail = sorted(r[subject][2] for r in tail if r[subject][2] >= 0)
    waits_all = sorted(r[subject][2] for r in rs if r[subject][2] >= 0)
    own.sort()
    return {"tail_requests": len(tail), "p99_us": p99[subject] // 1000,
            "tail": {k: round(100.0 * v / len(tail), 1) for k, v in counts.items()},
            "safepoint_base_pct": round(100.0 * overlapped / len(rs), 2),
            "wait_tail_us": waits_tail[len(waits_tail) // 2] // 1000 if waits_tail else None,
            "wait_all_us": waits_all[len(waits_all) // 2] // 1000 if waits_all else None,
            "safepoint_ops": dict(sorted(ops.items(), key=lambda kv: -kv[1])),
            "safepoints_logged": len(windows),
            "own_median_us": own[len(own) // 2] // 1000 if own else None}
