"""Summarises async-profiler's collapsed stacks of claude-lb under load (benchmarks/run-profile.sh, PROFILER=async).

  collapsed_summary.py FILE REQUESTS SECONDS UTIME0 STIME0 UTIME1 STIME1 CLK_TCK

Prints CPU per request (from /proc/PID/stat before and after; FILE "-": only that), then time per thread, self time per frame (a flat
profile has no frame far above the rest) and inclusive time of claude-lb's and Netty's HTTP methods, each as a share
of the samples and as microseconds per request (the share times the measured CPU per request).
"""
import collections
import re
import sys


# What claude-lb does per request that nginx does not, and the proxying both do. A sample goes to the innermost
# frame of a feature nginx does not have (so a JSON scan's buffer reads count as request inspection); else to the
# kernel if it is in a system call; else to the innermost frame of the proxying rows (so a handler that the HTTP
# decoder calls is not the decoder's).
FEATURES = [
    ("usage accounting: building, pricing and queueing the record", ("io/claudelb/server/usage/UsageObserver.",)),
    ("metrics: Prometheus series and /stats latency windows", ("io/claudelb/server/metrics/",)),
    ("request inspection: model, stream, metadata.user_id (the whole body validated)",
     ("io/claudelb/codec/json/RequestInspector", "io/claudelb/codec/json/JsonScan")),
    ("model rewrite in the request body", ("io/claudelb/codec/json/BodyRewriter",)),
    ("response tap: usage, in-band errors, the stream peek",
     ("io/claudelb/codec/usage/", "io/claudelb/codec/sse/", "io/claudelb/server/exchange/SseTail",
      "io/claudelb/server/exchange/StreamRelay.jsonUsage")),
    ("routing, balancing, affinity, breakers",
     ("io/claudelb/server/routing/", "io/claudelb/core/balance/", "io/claudelb/core/route/")),
    ("admission: client keys, limits, budgets", ("io/claudelb/server/admission/", "io/claudelb/core/limit/")),
    ("coalescing keys (dedup on only)",
     ("io/claudelb/server/coalesce/CoalescingKeys", "io/claudelb/codec/json/BodyDigest")),
    ("timers: first byte, idle, total",
     ("io/claudelb/server/exchange/ExchangeTimer", "io/netty/util/concurrent/AbstractScheduledEventExecutor")),
    ("header rules: upstream credentials, hop-by-hop, the client's head",
     ("io/claudelb/server/exchange/ClientHeads", "io/claudelb/codec/http/HeaderRules",
      "io/claudelb/server/exchange/UpstreamRequests")),
]
WRITER = "usage accounting: the database writer thread"
OTHER_THREADS = "JVM: JIT compilers, GC and other threads"
KERNEL = "both: the kernel (sockets, epoll, loopback TCP)"
PROXYING = [
    ("both: HTTP/1.1 parsing and encoding, client and upstream side",
     ("io/netty/handler/codec/http/HttpObject", "io/netty/handler/codec/http/HttpHeaders",
      "io/netty/handler/codec/http/DefaultHttp", "io/netty/handler/codec/http/HttpUtil",
      "io/netty/handler/codec/http/HttpHeaderValidationUtil", "io/netty/handler/codec/http/HttpVersion",
      "io/netty/handler/codec/http/HttpMethod", "io/netty/handler/codec/DefaultHeaders",
      "io/netty/handler/codec/HeadersUtils", "io/netty/handler/codec/ByteToMessageDecoder",
      "io/netty/handler/codec/MessageToMessage", "io/netty/handler/codec/CodecOutputList")),
    ("both: claude-lb's proxying (handlers, attempt, relay, sinks, pool)", ("io/claudelb/",)),
    ("both: event loop, pipeline, buffers (Netty)", ("io/netty/",)),
]
REST = "both: the rest (JDK, JVM runtime, unresolved frames)"
CATEGORIES = [WRITER, OTHER_THREADS] + [n for n, _ in FEATURES] + [KERNEL] + [n for n, _ in PROXYING] + [REST]
SYSCALL_WRAPPERS = ("writev", "recv", "read", "write", "send", "epoll_wait", "epoll_pwait2", "[vdso]")


def innermost(frames, rows):
    for frame in reversed(frames):
        for name, patterns in rows:
            if frame.startswith(patterns):
                return name
    return None


def category(frames):
    thread = frames[0]
    if "claude-lb-usage-writer" in thread:
        return WRITER
    if "claude-lb-io" not in thread:
        return OTHER_THREADS
    frames = frames[1:]
    feature = innermost(frames, FEATURES)
    if feature:
        return feature
    if any(f.endswith("_[k]") or f in SYSCALL_WRAPPERS for f in frames):
        return KERNEL
    return innermost(frames, PROXYING) or REST


def thread_name(frame):
    # async-profiler names a thread frame "[name tid=N]"; loops of one group differ only by their number.
    return re.sub(r"-\d+( tid=\d+)?\]$|( tid=\d+)\]$", "]", frame)


def main(argv):
    path, requests, secs = argv[1], int(argv[2]), float(argv[3])
    u0, s0, u1, s1, tck = (int(x) for x in argv[4:9])
    user = (u1 - u0) * 1e6 / tck / requests
    system = (s1 - s0) * 1e6 / tck / requests
    print(f"{requests / secs:.0f} req/s; claude-lb CPU per request: {user + system:.1f} us "
          f"(user {user:.1f}, system {system:.1f})" + ("" if path == "-" else " -- the profiler costs a few percent"))
    if path == "-":
        return
    self_time, inclusive, threads, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    categories = collections.Counter()
    with open(path) as f:
        for line in f:
            stack, _, n = line.rstrip().rpartition(" ")
            n = int(n)
            frames = stack.split(";")
            total += n
            self_time[frames[-1]] += n
            threads[thread_name(frames[0])] += n
            categories[category(frames)] += n
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
    print("\nWhat the time is spent on (each sample counted once):")
    for name in CATEGORIES:
        show(name, categories[name])
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
