#!/usr/bin/env python3
"""Summarises a JFR recording of claude-lb for the load harness's results file.

Reads `jfr print` text output (jdk.ExecutionSample, jdk.ObjectAllocationSample, jdk.GarbageCollection) and returns
where CPU samples and sampled allocation weight go: by leaf frame (self time), by the first claude-lb frame on the
stack (our code that is responsible, callees included), by inclusive method, and allocations by class and by site.
Usage on its own: jfr_summary.py FILE.jfr  (prints the summary as JSON).
"""
import collections
import json
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+(\S+?)\((.*?)\)(?: line: \d+)?")
UNITS = {"bytes": 1, "byte": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
OWN = "io.claudelb."
CATEGORIES = [("io.claudelb.codec.", "claude-lb codec"), ("io.claudelb.", "claude-lb server/core"),
              ("io.netty.buffer.", "Netty buffers"), ("io.netty.handler.codec.", "Netty HTTP codec"),
              ("io.netty.channel.", "Netty transport"), ("io.netty.util.", "Netty util/concurrent"),
              ("io.netty.", "Netty other"), ("com.fasterxml.jackson.", "Jackson"),
              ("ch.qos.logback.", "logging"), ("org.slf4j.", "logging"), ("java.", "JDK"), ("jdk.", "JDK"),
              ("sun.", "JDK")]


def events(path, event, depth):
    out = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", str(depth), path],
                         capture_output=True, text=True, timeout=600).stdout
    current = None
    in_stack = False
    for line in out.splitlines():
        if line.startswith(event + " {"):
            current = {"frames": []}
            in_stack = False
        elif current is None:
            continue
        elif line.startswith("}"):
            yield current
            current = None
        elif line.strip().startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and line.strip() == "]":
            in_stack = False
        elif in_stack:
            m = FRAME.match(line)
            if m:
                current["frames"].append(m.group(1))
        else:
            key, _, value = line.strip().partition(" = ")
            current[key] = value


def weight_bytes(text):
    m = re.match(r"([\d.]+)\s*(\w+)", text or "")
    return float(m.group(1)) * UNITS.get(m.group(2), 1) if m else 0.0


def duration_ms(text):
    m = re.match(r"([\d.]+)\s*(\w+)", text or "")
    if not m:
        return 0.0
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1000.0}.get(m.group(2), 1.0)
    return float(m.group(1)) * scale


def category(frame):
    for prefix, name in CATEGORIES:
        if frame.startswith(prefix):
            return name
    return "other"


def first_own(frames):
    for f in frames:
        if f.startswith(OWN):
            return f
    for f in frames:
        if f.startswith("io.netty."):
            return f
    return frames[0] if frames else "(no stack)"


def top(counter, total, n):
    return [{"name": k, "pct": round(100.0 * v / total, 1) if total else 0.0, "value": round(v)}
            for k, v in counter.most_common(n)]


def summarize(path, n=15):
    leaf = collections.Counter()
    categories = collections.Counter()
    own = collections.Counter()
    inclusive = collections.Counter()
    threads = collections.Counter()
    samples = 0
    for e in events(path, "jdk.ExecutionSample", 64):
        frames = e["frames"]
        if not frames:
            continue
        samples += 1
        leaf[frames[0]] += 1
        categories[category(frames[0])] += 1
        own[first_own(frames)] += 1
        for f in set(frames):
            if f.startswith(OWN):
                inclusive[f] += 1
        threads[re.sub(r"-\d+$", "-N", e.get("sampledThread", "?").split('"')[1]
                       if '"' in e.get("sampledThread", "") else "?")] += 1

    by_class = collections.Counter()
    by_site = collections.Counter()
    alloc_total = 0.0
    seen_threads = set()
    for e in events(path, "jdk.ObjectAllocationSample", 48):
        thread = e.get("eventThread", "?")
        if thread not in seen_threads:
            # A thread's first sample in a recording weighs everything it allocated before: not representative.
            seen_threads.add(thread)
            continue
        w = weight_bytes(e.get("weight"))
        alloc_total += w
        by_class[e.get("objectClass", "?").split(" (")[0]] += w
        frames = e["frames"]
        site = frames[0] if frames else "(no stack)"
        culprit = first_own(frames)
        by_site[site if site == culprit else f"{site} <- {culprit}"] += w

    gcs = 0
    pause_ms = 0.0
    max_pause = 0.0
    for e in events(path, "jdk.GarbageCollection", 1):
        gcs += 1
        p = duration_ms(e.get("sumOfPauses"))
        pause_ms += p
        max_pause = max(max_pause, p)

    return {
        "cpu_samples": samples,
        "threads": top(threads, samples, 6),
        "self_by_category": top(categories, samples, 12),
        "top_leaf": top(leaf, samples, n),
        "top_claude_lb": top(own, samples, n),
        "top_inclusive": top(inclusive, samples, n + 5),
        "alloc_total_mib": round(alloc_total / 1024 / 1024, 1),
        "alloc_by_class": [dict(x, value=round(x["value"] / 1024 / 1024, 1)) for x in top(by_class, alloc_total, n)],
        "alloc_by_site": [dict(x, value=round(x["value"] / 1024 / 1024, 1)) for x in top(by_site, alloc_total, n)],
        "gc_count": gcs,
        "gc_pause_total_ms": round(pause_ms, 1),
        "gc_pause_max_ms": round(max_pause, 2),
    }


if __name__ == "__main__":
    print(json.dumps(summarize(sys.argv[1]), indent=1))
