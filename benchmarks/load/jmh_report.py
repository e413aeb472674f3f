#!/usr/bin/env python3
"""Formats a JMH JSON result file (-rf json) as the markdown table in benchmarks/results/<date>-<host>-jmh.md.

Usage: jmh_report.py RESULT.json "COMMAND LINE"
"""
import datetime
import json
import os
import platform
import socket
import subprocess
import sys


def main():
    path, command = sys.argv[1], sys.argv[2]
    with open(path) as f:
        runs = json.load(f)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    print(f"# JMH microbenchmarks: {datetime.date.today().isoformat()} on {socket.gethostname().split('.')[0]}\n")
    print(f"Command: `{command.strip()}`. Machine: {os.cpu_count()} cores ({cpu}), kernel {platform.release()}, "
          f"{java[0] if java else '?'}; load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}. "
          f"Raw JMH output: `{os.path.basename(path)}`.\n")
    print("Score is the mean time per operation over all measurement iterations of all forks; error is JMH's "
          "99.9% confidence half-width. One operation: a whole 7.5 KB / 56-event stream (SseScan), one request "
          "body (RequestInspect, ModelRewrite), one user_id (SessionKey), one payload (Usage), one whole stream "
          "assembled into its message or only tapped (StreamAssemble).\n")
    print("| benchmark | params | score | error | unit | forks x iterations |")
    print("|---|---|---|---|---|---|")
    for r in runs:
        name = r["benchmark"].replace("io.claudelb.bench.codec.", "")
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        m = r["primaryMetric"]
        err = m.get("scoreError")
        err_text = "-" if err is None or err != err else f"{err:.3f}"
        print(f"| {name} | {params} | {m['score']:.3f} | {err_text} | {m['scoreUnit']} | "
              f"{r['forks']} x {r['measurementIterations']} |")


if __name__ == "__main__":
    main()
