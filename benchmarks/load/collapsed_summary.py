"""Summarises async-profiler's collapsed stacks of claude-lb under load (benchmarks/run-profile.sh, PROFILER=async).

  collapsed_summary.py FILE REQUESTS SECONDS UTIME0 STIME0 UTIME1 STIME1 CLK_TCK

Prints CPU per request (from /proc/PID/stat before and after), then time per thread, self time per frame (a flat
profile has no frame far above the rest) and inclusive time of claude-lb's and Netty's HTTP methods, each as a share
of the samples and as microseconds per request (the share times the measured CPU per request).
"""
import collections
import re
import sys


def thread_name(frame):
    # async-profiler names a thread frame "[name tid=N]"; loops of one group differ only by their number.
    return re.sub(r"-\d+( tid=\d+)?\]$|( tid=\d+)\]$", "]", frame)


def main(argv):
    path, requests, secs = argv[1], int(argv[2]), float(argv[3])
    u0, s0, u1, s1, tck = (int(x) for x in argv[4:9])
    user = (u1 - u0) * 1e6 / tck / requests
    system = (s1 - s0) * 1e6 / tck / requests
    print(f"{requests / secs:.0f} req/s; claude-lb CPU per request: {user + system:.1f} us "
          f"(user {user:.1f}, system {system:.1f}) -- the profiler costs a few percent")
    self_time, inclusive, threads, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    with open(path) as f:
        for line in f:
            stack, _, n = line.rstrip().rpartition(" ")
            n = int(n)
            frames = stack.split(";")
            total += n
            self_time[frames[-1]] += n
            threads[thread_name(frames[0])] += n
            for frame in set(frames):
                inclusive[frame] += n
    if total == 0:
        print("no samples")
        return

    def show(frame, n):
        print(f"{100 * n / total:5.1f}% {(user + system) * n / total:6.2f} us  {frame}")

    print(f"\n{total} samples. By thread:")
    for t, n in threads.most_common(10):
        show(t, n)
    print("\nSelf time, top 40 frames:")
    for frame, n in self_time.most_common(40):
        show(frame, n)
    print("\nInclusive time of claude-lb and Netty HTTP methods:")
    shown = 0
    for frame, n in inclusive.most_common():
        if frame.startswith(("io/claudelb/", "io/netty/handler/codec/http/", "com/fasterxml/")):
            show(frame, n)
            shown += 1
            if shown >= 60 or n < total * 0.01:
                break
    print(f"\nstacks: {path}")


if __name__ == "__main__":
    main(sys.argv)
