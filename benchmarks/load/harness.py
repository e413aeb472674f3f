#!/usr/bin/env python3
"""claude-lb end-to-end load harness: direct vs nginx vs claude-lb on one mock, in one run.

Started by benchmarks/run-load.sh (which installs wrk/nginx, builds the jars and raises the fd limit). Everything
listens on and targets 127.0.0.1 only. Scenarios (see benchmarks/README.md):
  a. added latency at concurrency 1, measured interleaved (one keep-alive connection per target, direct / nginx /
     claude-lb in turn for thousands of rounds), JSON and SSE and the 50 KB Claude Code request
  b. throughput at 64 connections: req/s, p99, proxy CPU microseconds per request
  c. paced streams: time to first byte / first content event and inter-event gaps at 64 streams, then the most
     concurrent streams held (512, 2000, 10000 or the fd limit) with zero lost events and no stall
  d. proxy memory: heap and RSS idle, under (c), after, and growth over a soak
  e. coalescing: N identical paced streams through a second claude-lb with dedup on, against the same N with
     x-claude-lb-dedup: off: upstream calls, proxy CPU per stream and memory per follower
and a JFR profile of claude-lb under load. (a) and (b) run in two set-ups, each with freshly started servers:
  pinned   the mock on core 0, nginx with 1 worker and claude-lb (1 event loop: its JVM sees one core) on core 1
  default  as users run them: nothing pinned, nginx with one worker per core, claude-lb's default config (one event
           loop per core), the clients on the same cores
(c), (d), (e), the soak and the profile run in the first set-up. Results: benchmarks/results/<date>-<host>.md
(+ .json).
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import time

import jfr_summary
import report
import tails

LOOPBACK = "127.0.0.1"
PATH = "/v1/messages"
TARGETS = ["direct", "nginx", "claude-lb"]
# The mock's answer: 45 text deltas + 11 framing events = 56 events, ~7.5 KB (AnthropicStream.standard()).
MOCK_ARGS = ["--events", "45", "--text-bytes", "650", "--no-record", "--io-threads", "1"]
STREAM_EVENTS = 56
PACE_MS = 50
# Holding many streams tests concurrency (sockets, memory, scheduling), not event throughput: the pace is slowed so
# the streams together stay at 40,000 events/s (2,000 streams at 50 ms, where baselines.md's nginx held every
# stream on this machine kind); below 2,000 streams that is the 50 ms pace itself.
HOLD_EVENTS_PER_S = 40000


def hold_pace_ms(streams):
    return max(PACE_MS, -(-streams * 1000 // HOLD_EVENTS_PER_S))

MODES = {
    "quick": dict(repeats=2, warm_s=3, min_warm_s=30, lat_rounds=2000, thr_s=4, paced_s=4, hold_s=4, soak_s=60, profile_s=5,
                  levels=[512, 2000, 10000]),
    # Checks that the harness itself works (about 2 minutes); its figures mean little.
    "smoke": dict(repeats=1, warm_s=1, min_warm_s=0, lat_rounds=200, thr_s=1, paced_s=2, hold_s=2, soak_s=6, profile_s=1,
                  levels=[64, 256]),
    "full": dict(repeats=3, warm_s=10, min_warm_s=30, lat_rounds=5000, thr_s=10, paced_s=10, hold_s=10, soak_s=600, profile_s=10,
                 levels=[512, 2000, 10000]),
}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def gc_pauses(path):
    """Counts claude-lb's GC pauses from its -Xlog:gc file (the full GCs forced by memory samples apart)."""
    pauses, forced = [], 0
    try:
        with open(path) as f:
            for line in f:
                m = re.search(r"Pause (.*?) \d+M->\d+M\(\d+M\) ([\d.]+)ms", line)
                if not m:
                    continue
                if "System.gc()" in m.group(1) or "Diagnostic Command" in m.group(1):
                    forced += 1
                else:
                    pauses.append(float(m.group(2)))
    except OSError:
        return None
    ordered = sorted(pauses)
    p99 = ordered[max(0, -(-len(ordered) * 99 // 100) - 1)] if ordered else 0.0
    return {"count": len(pauses), "total_ms": round(sum(pauses), 1), "p99_ms": round(p99, 2),
            "max_ms": round(max(pauses), 2) if pauses else 0.0, "forced_full": forced}


class Harness:
    def __init__(self, args):
        self.args = args
        self.root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
        self.work = args.work
        self.mode = MODES[args.mode]
        if args.repeats:
            self.mode["repeats"] = args.repeats
        if args.soak_s is not None:
            self.mode["soak_s"] = args.soak_s
        if args.levels:
            self.mode["levels"] = [int(x) for x in args.levels.split(",")]
        base = args.base_port
        self.ports = {"mock": base, "nginx": base + 1, "claude-lb": base + 2, "coalescing": base + 3}
        self.urls = {"direct": self.url(self.ports["mock"]), "nginx": self.url(self.ports["nginx"]),
                     "claude-lb": self.url(self.ports["claude-lb"])}
        self.procs = {}
        self.commands = []
        self.results = {"mode": args.mode, "settings": dict(self.mode), "a": [], "b": [], "c_paced": [],
                        "c_hold": [], "d": {}, "e": [], "notes": []}
        self.clk = os.sysconf("SC_CLK_TCK")
        self.cores = os.cpu_count() or 1
        self.can_pin = shutil.which("taskset") is not None and self.cores >= 2
        self.setups = [x for x in args.setups.split(",") if x]
        if not self.setups or any(x not in SETUPS for x in self.setups):
            raise SystemExit(f"--setups takes a comma-separated list of {', '.join(SETUPS)}")
        self.only = set(args.only.split(",")) if args.only else set(SCENARIOS)
        if not self.only <= set(SCENARIOS):
            raise SystemExit(f"--only takes a comma-separated list of {', '.join(SCENARIOS)}")
        self.setup = self.setups[0]
        self.bench_jar = os.path.join(self.root, "benchmarks", "target", "benchmarks.jar")
        self.launcher = os.path.join(self.root, "bin", "claude-lb")

    @staticmethod
    def url(port):
        return f"http://{LOOPBACK}:{port}{PATH}"

    # ----- processes -------------------------------------------------------------------------------------------

    def record(self, cmd, env_note=""):
        text = " ".join(cmd)
        self.commands.append((env_note + " " + text).strip())
        return cmd

    def start(self, name, cmd, logfile, env=None, core=None):
        if core is not None and self.pinned():
            cmd = ["taskset", "-c", str(core)] + cmd
        env_note = ""
        if env:
            env_note = " ".join(f"{k}={v}" for k, v in env.items() if k in ("JAVA_OPTS", "CLAUDE_LB_HEAP"))
        self.record(cmd, env_note)
        out = open(os.path.join(self.work, logfile), "w")
        full_env = dict(os.environ)
        full_env.update(env or {})
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=full_env, cwd=self.work)
        with open(os.path.join(self.work, "pids"), "a") as f:
            f.write(f"{p.pid}\n")
        self.procs[name] = p
        return p

    def pinned(self):
        return self.setup == "pinned" and self.can_pin

    def check_alive(self, when):
        """Stops the run with a clear message when a server died (a crash, or a kill from outside the harness)."""
        for name in ("mock", "nginx", "claude-lb"):
            p = self.procs.get(name)
            if p is not None and p.poll() is not None:
                code = p.returncode
                how = f"signal {-code}" if code < 0 else f"exit code {code}"
                raise SystemExit(f"{name} (pid {p.pid}) died with {how} {when}; its log is in {self.work}")

    def stop_all(self):
        for name, p in reversed(list(self.procs.items())):
            if p.poll() is None:
                p.terminate()
        deadline = time.time() + 10
        for name, p in self.procs.items():
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def wait_port(self, port, proc, what, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            if proc.poll() is not None:
                raise SystemExit(f"{what} exited with {proc.returncode} before listening; see {self.work}")
            try:
                with socket.create_connection((LOOPBACK, port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{what} did not listen on {LOOPBACK}:{port} within {timeout}s; see {self.work}")

    def check_ports_free(self):
        for name, port in self.ports.items():
            s = socket.socket()
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((LOOPBACK, port))
            except OSError as e:
                raise SystemExit(f"port {LOOPBACK}:{port} (for {name}) is taken ({e.strerror}); "
                                 f"free it or pass --base-port")
            finally:
                s.close()

    def start_servers(self):
        self.check_ports_free()
        # The mock gets core 0; each proxy core 1 (so nginx and claude-lb get the same single core).
        mock = self.start("mock", [self.launcher, "mock", "--port", str(self.ports["mock"])] + MOCK_ARGS,
                          "mock.log", core=0)
        self.wait_port(self.ports["mock"], mock, "mock")
        self.write_nginx_conf()
        nginx = self.start("nginx", ["nginx", "-p", self.work + "/nginx", "-c", self.work + "/nginx/nginx.conf",
                                     "-g", "daemon off;"], "nginx.out", core=1)
        self.wait_port(self.ports["nginx"], nginx, "nginx")
        self.write_lb_conf()
        # GC log: pauses are one source of tail latency (reported with the memory figures).
        # Safepoints with the monotonic clock the latency client uses: (a) lays its slowest requests over them.
        opts = (f"-Xlog:gc:file={self.work}/claude-lb-gc-{self.setup}.log:uptime "
                f"-Xlog:safepoint:file={self.safepoint_log()}:timenanos {self.args.lb_java_opts}").strip()
        lb = self.start("claude-lb", [self.launcher, "--config", self.work + "/claude-lb.yaml"], "claude-lb.log",
                        env={"JAVA_OPTS": opts}, core=1)
        self.wait_port(self.ports["claude-lb"], lb, "claude-lb")
        # One request through each path proves the wiring before anything is measured.
        for target in TARGETS:
            self.smoke(target)

    def smoke(self, target):
        body = open(self.fixture("small-sse.json"), "rb").read()
        out = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "-X", "POST", self.urls[target],
                              "-H", "content-type: application/json", "-H", "anthropic-version: 2023-06-01",
                              "--data-binary", "@-"], input=body, capture_output=True, timeout=20)
        text = out.stdout.decode("utf-8", "replace")
        code = text.rsplit("\n", 1)[-1]
        events = text.count("\n\n")
        if code != "200" or events != STREAM_EVENTS:
            raise SystemExit(f"smoke request via {target} failed: status {code}, {events} events; "
                             f"{out.stderr.decode()[:300]} see {self.work}")

    def nofile(self):
        return resource.getrlimit(resource.RLIMIT_NOFILE)[0]

    def write_nginx_conf(self):
        d = os.path.join(self.work, "nginx")
        os.makedirs(os.path.join(d, "logs"), exist_ok=True)
        limit = self.nofile()
        user = "user root;\n" if os.geteuid() == 0 else ""
        # Pinned: one worker on the proxies' core; default: one per core, as Debian's nginx.conf ships ("auto").
        workers = "1" if self.pinned() else "auto"
        conf = f"""{user}worker_processes {workers};
worker_rlimit_nofile {limit};
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{
    worker_connections {limit - 64};
    use epoll;
}}
http {{
    access_log off;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy_temp;
    fastcgi_temp_path {d}/fastcgi_temp;
    uwsgi_temp_path {d}/uwsgi_temp;
    scgi_temp_path {d}/scgi_temp;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_max_body_size 32m;
    client_body_buffer_size 2m;
    tcp_nodelay on;
    upstream mock {{
        server {LOOPBACK}:{self.ports['mock']};
        keepalive 512;
        keepalive_requests 1000000;
        keepalive_timeout 60s;
    }}
    server {{
        listen {LOOPBACK}:{self.ports['nginx']} backlog=4096;
        location / {{
            proxy_pass http://mock;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_read_timeout 300s;
        }}
    }}
}}
"""
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        self.results["nginx_conf"] = conf

    def write_lb_conf(self):
        conf = f"""server:
  listen: "{LOOPBACK}:{self.ports['claude-lb']}"
  max_connections: {self.nofile()}
upstreams:
  - name: mock
    kind: anthropic
    base_url: "http://{LOOPBACK}:{self.ports['mock']}"
    pool:
      max_connections: {self.nofile()}
      max_pending_acquires: {self.nofile()}
      idle_timeout: 2s      # so a hold test's thousands of pooled connections are gone before the next one
    timeouts:
      connect: 60s          # nginx's proxy_connect_timeout default: a busy mock's accept queue can take seconds
routes:
  - match: "*"
    targets: [ {{ upstream: mock, model: claude-bench-upstream }} ]   # every request's model is rewritten
logging:
  level: warn
  access_log: false         # nginx runs with access_log off too
{self.storage_yaml()}
dedup: false                # wrk repeats one request: coalesced, claude-lb would make fewer upstream calls than
                            # nginx and the comparison would measure that; scenario (e) measures coalescing itself
"""
        with open(os.path.join(self.work, "claude-lb.yaml"), "w") as f:
            f.write(conf)
        self.results["lb_conf"] = conf
        coalescing = conf.replace(f":{self.ports['claude-lb']}\"", f":{self.ports['coalescing']}\"")
        coalescing = coalescing.replace("/usage.db", "/usage-coalescing.db")   # its own SQLite file
        coalescing = coalescing[:coalescing.index("dedup: false")] + "dedup: { enabled: true, linger: 5s }\n"
        with open(os.path.join(self.work, "claude-lb-coalescing.yaml"), "w") as f:
            f.write(coalescing)

    def storage_yaml(self):
        """Usage accounting as users run it (on, SQLite), in the work directory; --lb-storage off measures without."""
        if self.args.lb_storage == "off":
            return "storage: { enabled: false }   # --lb-storage off: no usage accounting"
        return (f'storage: {{ url: "jdbc:sqlite:{self.work}/usage.db" }}   # accounting on, as by default '
                "(every request a row)")

    # ----- measurements ----------------------------------------------------------------------------------------

    def proxy_pids(self, target):
        if target == "direct":
            return []
        p = self.procs[target]
        pids = [p.pid]
        if target == "nginx":
            try:
                with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                    pids += [int(x) for x in f.read().split()]
            except OSError:
                pass
        return pids

    def thread_ticks(self, pid):
        """CPU clock ticks (user + system) per thread name of one process: which of its threads ran."""
        out = {}
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return out
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    name = re.sub(r"\d+$", "N", f.read().strip())
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                out[name] = out.get(name, 0) + int(fields[11]) + int(fields[12])
            except OSError:
                pass
        return out

    def threads_named(self, pid, prefix):
        """Thread ids of a process whose names start with prefix (event loops: claude-lb-io-N, mock-NAME-N)."""
        out = []
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    if f.read().startswith(prefix):
                        out.append(tid)
        except OSError:
            pass
        return out

    def cpu_ticks(self, pids):
        """(user, system) clock ticks of the processes, threads included (fields 14 and 15 of /proc/PID/stat)."""
        user = system = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                user += int(fields[11])
                system += int(fields[12])
            except OSError:
                pass
        return user, system

    def rss_kib(self, pids):
        total = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def heap_kib(self, pid, gc):
        """Used heap in KiB (after a full GC when gc is true: the live set)."""
        if gc:
            subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
        m = re.search(r"total (\d+)K, used (\d+)K", out)
        return int(m.group(2)) if m else None

    def memory(self, label, gc=True):
        lb = self.procs["claude-lb"].pid
        sample = {"label": label, "t": round(time.time() - self.t0, 1),
                  "lb_rss_kib": self.rss_kib([lb]),
                  "lb_heap_used_kib": self.heap_kib(lb, False),
                  "lb_heap_live_kib": self.heap_kib(lb, True) if gc else None,
                  "nginx_rss_kib": self.rss_kib(self.proxy_pids("nginx")),
                  "lb_fds": self.fd_count(lb)}
        self.results["d"].setdefault("samples", []).append(sample)
        return sample

    def gc_pauses(self):
        return gc_pauses(os.path.join(self.work, f"claude-lb-gc-{self.setups[0]}.log"))


    def fd_count(self, pid):
        try:
            return len(os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            return None

    def fixture(self, name):
        return os.path.join(self.work, "fixtures", name)

    def wrk(self, target, payload, connections, threads, seconds, latency=False):
        body = self.fixture(PAYLOADS[payload]["file"])
        env = dict(os.environ, WRK_BODY=body, WRK_HEADERS=PAYLOADS[payload].get("headers", ""))
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        if latency:
            cmd.append("--latency")
        cmd += ["-s", os.path.join(self.root, "benchmarks", "load", "post.lua"), self.urls[target]]
        self.record(cmd, f"WRK_BODY={os.path.basename(body)}")
        self.check_alive(f"before wrk {target}/{payload}")
        pids = self.proxy_pids(target)
        mock = [self.procs["mock"].pid]
        c0, m0, t0 = self.cpu_ticks(pids), self.cpu_ticks(mock), time.time()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 60)
        c1, m1, t1 = self.cpu_ticks(pids), self.cpu_ticks(mock), time.time()
        user, system = c1[0] - c0[0], c1[1] - c0[1]
        self.check_alive(f"during wrk {target}/{payload}")
        line = next((l for l in out.stdout.splitlines() if l.startswith("WRKJSON ")), None)
        if line is None:
            raise SystemExit(f"wrk gave no summary for {target}/{payload}: {out.stdout[-500:]} {out.stderr[-500:]}")
        r = json.loads(line[len("WRKJSON "):])
        secs = r["duration_us"] / 1e6
        n = max(1, r["requests"])
        r.update(target=target, payload=payload, connections=connections,
                 rps=r["requests"] / secs if secs else 0,
                 proxy_cpu_us_per_req=((user + system) / self.clk * 1e6 / n) if pids else None,
                 proxy_sys_us_per_req=(system / self.clk * 1e6 / n) if pids else None,
                 mock_cpu_us_per_req=(sum(m1) - sum(m0)) / self.clk * 1e6 / n,
                 proxy_cpu_util=((user + system) / self.clk / (t1 - t0)) if pids else None,
                 error_total=sum(r["errors"].values()), loadavg=os.getloadavg()[0])
        with open(os.path.join(self.work, "wrk.log"), "a") as f:
            f.write(" ".join(cmd) + "\n" + out.stdout + "\n")
        return r

    def order(self, repeat):
        # Alternate the order between repeats so slow drift on a shared box hits every target alike.
        return TARGETS if repeat % 2 == 0 else list(reversed(TARGETS))

    def warm_up(self):
        log("warm-up (JIT) of mock and proxies")
        for target in TARGETS:
            # The JVMs (mock, claude-lb) reach steady state only after ~20-30 s of load (C2 compiles the relay
            # path late): at least min_warm_s per target, so no measurement catches a JVM mid-warm-up.
            rounds = max(1, -(-self.mode["min_warm_s"] // (3 * self.mode["warm_s"])))
            for _ in range(rounds):
                for payload in ("json", "sse", "cc50k"):
                    self.wrk(target, payload, 64, 2, self.mode["warm_s"])

    def scenario_a(self):
        log(f"(a) latency at concurrency 1, interleaved ({self.setup})")
        for repeat in range(self.mode["repeats"]):
            for payload in ("json", "sse", "cc50k"):
                for r in self.interleaved(payload, repeat):
                    r.update(repeat=repeat, setup=self.setup)
                    self.results["a"].append(r)

    def safepoint_log(self):
        return f"{self.work}/claude-lb-safepoint-{self.setup}.log"

    def interleaved(self, payload, repeat):
        """One run of the interleaved client: a row per target with its latency and what it adds over direct, and
        for claude-lb where its slowest 1 % came from (tails.py)."""
        spec = PAYLOADS[payload]
        rounds_file = f"{self.work}/rounds-{self.setup}-{payload}-{repeat}.txt"
        cmd = ["java", "-Xmx256m", "-XX:+UseSerialGC", "-cp", self.bench_jar,
               "io.claudelb.bench.load.InterleavedLatency", "--body", self.fixture(spec["file"]),
               "--rounds", str(self.mode["lat_rounds"]), "--warmup-rounds", str(max(50, self.mode["lat_rounds"] // 10)),
               "--rounds-file", rounds_file]
        for target in TARGETS:
            cmd += ["--target", f"{target}={self.urls[target]}"]
        if spec.get("headers"):
            cmd += ["--header", spec["headers"]]
        self.record(cmd)
        self.check_alive(f"before interleaved {payload}")
        lb_pid = self.procs["claude-lb"].pid
        # The threads a claude-lb request passes through: its event loops and the mock's (the client adds its own).
        path = [(lb_pid, tid) for tid in self.threads_named(lb_pid, "claude-lb-io")]
        path += [(self.procs["mock"].pid, tid) for tid in self.threads_named(self.procs["mock"].pid, "mock-")]
        if path:
            cmd += ["--watch-threads", "claude-lb=" + ",".join(f"/proc/{p}/task/{t}/schedstat" for p, t in path)]
        threads_before = self.thread_ticks(lb_pid)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        threads_after = self.thread_ticks(lb_pid)
        self.check_alive(f"during interleaved {payload}")
        if out.returncode != 0 or not out.stdout.strip():
            raise SystemExit(f"interleaved latency client failed ({payload}): {out.stderr[-800:]}")
        res = json.loads(out.stdout.strip().splitlines()[-1])
        rows = [{"target": t, "payload": payload, "lat_us": v["lat_us"], "added_us": v["added_us"],
                 "requests": v["lat_us"]["count"], "error_total": v["errors"]} for t, v in res["targets"].items()]
        tail = tails.attribute(rounds_file, self.safepoint_log(), TARGETS)
        if tail:
            # claude-lb's threads that ran during the run: on one core, every one of them competes with the loop.
            tick_ms = 1000.0 / os.sysconf("SC_CLK_TCK")
            used = {n: (t - threads_before.get(n, 0)) * tick_ms for n, t in threads_after.items()}
            tail["threads_ms"] = {n: round(v) for n, v in sorted(used.items(), key=lambda kv: -kv[1]) if v > 0}
        for r in rows:
            if r["target"] == "claude-lb" and tail:
                r["tail"] = tail
        return rows

    def scenario_b(self):
        log(f"(b) throughput at 64 connections ({self.setup})")
        for repeat in range(self.mode["repeats"]):
            for payload in ("json", "sse", "cc50k"):
                for target in self.order(repeat):
                    r = self.wrk(target, payload, 64, 2, self.mode["thr_s"])
                    r.update(repeat=repeat, setup=self.setup)
                    self.results["b"].append(r)

    def streams(self, target, connections, seconds, ramp_s, pace_ms, drain_s, headers=()):
        cmd = ["java", "-Xmx2g", "-Dio.netty.leakDetection.level=disabled", "-cp", self.bench_jar,
               "io.claudelb.bench.load.PacedStreamLoad", "--url", self.urls[target],
               "--body", self.fixture("small-sse.json"), "--connections", str(connections),
               "--ramp-s", str(ramp_s), "--duration-s", str(seconds), "--expect-events", str(STREAM_EVENTS),
               "--pace-ms", str(pace_ms), "--drain-s", str(drain_s), "--threads", "2"]
        for h in headers:
            cmd += ["--header", h]
        self.record(cmd)
        return cmd

    def run_streams(self, target, connections, seconds, ramp_s, pace_ms=PACE_MS, drain_s=30, during=None,
                    headers=()):
        self.check_alive(f"before {connections} streams via {target}")
        cmd = self.streams(target, connections, seconds, ramp_s, pace_ms, drain_s, headers)
        errlog = open(os.path.join(self.work, f"streams-{target}-{connections}.log"), "a")
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errlog, text=True, cwd=self.work)
        with open(os.path.join(self.work, "pids"), "a") as f:
            f.write(f"{p.pid}\n")
        extra = None
        result = None
        for line in p.stdout:
            if line.startswith("HOLD_END") and during is not None:
                # The hold is over but every stream is still connected (the client drains for a few seconds):
                # sample memory now, so the forced full GC of the live-heap figure cannot disturb the hold.
                extra = during()
            elif line.startswith("{"):
                result = line
        p.wait(timeout=120)
        self.check_alive(f"during {connections} streams via {target}")
        if p.returncode != 0 or result is None:
            raise SystemExit(f"stream client failed against {target} ({connections}); see {self.work}")
        r = json.loads(result)
        r.update(target=target, loadavg=os.getloadavg()[0])
        return r, extra

    def scenario_c(self):
        log("(c) paced streams: first byte and gaps at 64 streams")
        for repeat in range(self.mode["repeats"]):
            for target in self.order(repeat):
                r, _ = self.run_streams(target, 64, self.mode["paced_s"], 0.5)
                r["repeat"] = repeat
                self.results["c_paced"].append(r)
        self.results["d"]["idle_before_hold"] = self.memory("idle before hold")
        # A proxy holds two sockets per stream, plus nginx's cached upstream connections and its own files.
        cap = (self.nofile() - 2000) // 2
        for level in self.mode["levels"]:
            n = min(level, cap)
            if n < level:
                self.results["notes"].append(
                    f"{level} concurrent streams requested; capped at {n}: a proxy holds two sockets per stream "
                    f"and RLIMIT_NOFILE is {self.nofile()} here (the hard limit; raising it needs "
                    f"CAP_SYS_RESOURCE)")
            log(f"(c) holding {n} paced streams")
            for repeat in range(self.mode["repeats"]):
                for target in self.order(repeat):
                    self.settle(n)
                    ramp = max(1.0, n / 1000)  # faster ramps overflow the mock's accept queue
                    during = None
                    if target == "claude-lb":
                        during = lambda lvl=n: self.memory(f"holding {lvl} streams")
                    elif target == "nginx":
                        during = lambda: {"nginx_rss_kib": self.rss_kib(self.proxy_pids("nginx"))}
                    # Streams still running 3 s after the hold are cut by the client (not counted as lost).
                    r, mem = self.run_streams(target, n, self.mode["hold_s"], ramp, hold_pace_ms(n), 3, during)
                    r.update(repeat=repeat, level=level, held=n, memory=mem)
                    self.results["c_hold"].append(r)
        time.sleep(2)
        self.results["d"]["after_hold"] = self.memory("after hold (streams closed)")

    def settle(self, upcoming):
        """Waits (bounded) until earlier runs' sockets are gone, so fd limits and the mock start clean."""
        mock = self.procs["mock"].pid
        end = time.time() + 15
        while time.time() < end:
            # The mock may keep nginx's cached upstream connections (keepalive 512); claude-lb's idle pool must be
            # gone (idle_timeout 2s), since at the largest level it needs nearly all of its descriptors.
            if (self.fd_count(mock) or 0) < 1200 and (self.fd_count(self.procs["claude-lb"].pid) or 0) < 200:
                return
            time.sleep(0.5)
        self.results["notes"].append(f"sockets of earlier runs still open before the {upcoming}-stream run")

    def soak(self):
        secs = self.mode["soak_s"]
        if secs <= 0:
            return
        log(f"(d) soak: {secs}s of SSE load through claude-lb, memory sampled")
        steps = 6
        samples = [self.memory("soak start")]
        for i in range(steps):
            r = self.wrk("claude-lb", "sse" if i % 2 == 0 else "cc50k", 64, 2, max(1, secs // steps))
            s = self.memory(f"soak {i + 1}/{steps}")
            s["requests"] = r["requests"]
            s["errors"] = r["error_total"]
            samples.append(s)
        self.results["d"]["soak"] = samples

    def profile(self):
        secs = self.mode["profile_s"]
        log(f"profile: JFR on claude-lb for {3 * secs}s of load")
        pid = self.procs["claude-lb"].pid
        jfr = os.path.join(self.work, "claude-lb.jfr")

        def jcmd(*args):
            self.record(["jcmd", str(pid), *args])
            subprocess.run(["jcmd", str(pid), *args], capture_output=True, timeout=120, check=True)

        # Starting a recording deoptimizes the JIT-compiled code, and the JVM runs several times slower until it
        # has recompiled (measured: ~20 s of load). A first recording therefore runs through a re-warm-up under
        # load; only the second one, started after it, is summarized.
        jcmd("JFR.start", "name=warm", "settings=profile")
        for p in ("json", "sse", "cc50k", "sse"):
            self.wrk("claude-lb", p, 64, 2, max(1, self.mode["warm_s"]) * 2)
        jcmd("JFR.start", "name=bench", "settings=profile", f"filename={jfr}")
        runs = [self.wrk("claude-lb", p, 64, 2, secs) for p in ("json", "sse", "cc50k")]
        jcmd("JFR.stop", "name=bench")
        jcmd("JFR.stop", "name=warm")
        self.results["profile"] = jfr_summary.summarize(jfr)
        self.results["profile"]["requests"] = sum(r["requests"] for r in runs)
        self.results["profile"]["file"] = jfr

    # ----- run -------------------------------------------------------------------------------------------------

    def machine(self):
        def cmd(*c):
            try:
                return subprocess.run(c, capture_output=True, text=True, timeout=20).stdout.strip() or \
                    subprocess.run(c, capture_output=True, text=True, timeout=20).stderr.strip()
            except (OSError, subprocess.TimeoutExpired):
                return "?"
        model = "?"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem_kib = int(f.readline().split()[1])
        java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
        return {"host": socket.gethostname().split(".")[0], "cores": self.cores, "cpu": model,
                "memory_gib": round(mem_kib / 1024 / 1024, 1), "kernel": platform.release(),
                "os": cmd("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"),
                "jdk": " / ".join(java[:2]), "nginx": cmd("nginx", "-v"),
                "wrk": cmd("sh", "-c", "wrk -v 2>&1 | head -1"), "nofile": self.nofile(),
                "pinning": "set-up pinned: mock on core 0, nginx and claude-lb each on core 1 (taskset); wrk and the "
                           "clients unpinned" if self.can_pin else "none (taskset missing or < 2 cores)",
                "setups": self.setups,
                "loadavg_start": os.getloadavg(),
                "git": cmd("git", "-C", self.root, "log", "-1", "--format=%h %s")}

    def coalescing_stats(self):
        out = subprocess.run(["curl", "-sS", f"http://{LOOPBACK}:{self.ports['coalescing']}/stats"],
                             capture_output=True, text=True, timeout=20).stdout
        return json.loads(out)["coalescing"]

    def scenario_e(self):
        """N identical paced streams with coalescing, against the same N each making its own upstream call."""
        log("(e) coalescing: N identical streams")
        self.urls["coalescing"] = self.url(self.ports["coalescing"])
        opts = f"{self.args.lb_java_opts}".strip()
        lb = self.start("coalescing", [self.launcher, "--config", self.work + "/claude-lb-coalescing.yaml"],
                        "claude-lb-coalescing.log", env={"JAVA_OPTS": opts}, core=1)
        self.wait_port(self.ports["coalescing"], lb, "claude-lb (coalescing)")
        try:
            self.run_streams("coalescing", 16, 3, 0.5)   # warm-up
            for n in (16, 64, 256):
                for label, headers in (("independent", ("x-claude-lb-dedup:off",)), ("coalesced", ())):
                    before = self.coalescing_stats()
                    ticks = self.cpu_ticks([lb.pid])
                    rss0 = self.rss_kib([lb.pid])
                    r, rss = self.run_streams("coalescing", n, self.mode["paced_s"], 0.5, headers=headers,
                                              during=lambda: self.rss_kib([lb.pid]))
                    after = self.coalescing_stats()
                    t = self.cpu_ticks([lb.pid])
                    cpu_us = (t[0] + t[1] - ticks[0] - ticks[1]) * 1e6 / self.clk
                    streams = max(1, r.get("streams_completed", 0))
                    leaders = after["leaders"] - before["leaders"]
                    followers = after["followers"] - before["followers"]
                    upstream_calls = streams if label == "independent" else leaders
                    self.results["e"].append({
                        "streams": n, "mode": label, "completed": r.get("streams_completed", 0),
                        "lost_events": r.get("lost_events", 0), "upstream_calls": upstream_calls,
                        "followers": followers, "cpu_us_per_stream": round(cpu_us / streams, 1),
                        "rss_delta_kib": (rss or rss0) - rss0, "ttfb_p50_us": (r.get("ttfb_us") or {}).get("p50")})
        finally:
            lb.terminate()
            lb.wait(timeout=30)
            del self.procs["coalescing"]

    def run(self):
        self.t0 = time.time()
        self.results["machine"] = self.machine()
        self.results["started"] = datetime.datetime.now().isoformat(timespec="seconds")
        subprocess.run(["java", "-cp", self.bench_jar, "io.claudelb.bench.fixtures.FixtureFiles",
                        os.path.join(self.work, "fixtures")], check=True)
        try:
            for i, setup in enumerate(self.setups):
                self.setup = setup
                self.start_servers()
                if i == 0:
                    self.results["d"]["idle_start"] = self.memory("idle after start")
                self.warm_up()
                if "a" in self.only:
                    self.scenario_a()
                if "b" in self.only:
                    self.scenario_b()
                if i == 0:
                    self.results["d"]["idle_after_throughput"] = self.memory("idle after (a) and (b)")
                    if "c" in self.only:
                        self.scenario_c()
                    if "e" in self.only:
                        self.scenario_e()
                    if "soak" in self.only:
                        self.soak()
                    if "profile" in self.only:
                        self.profile()
                if i + 1 < len(self.setups):
                    self.stop_all()
                    self.procs = {}
            self.results["machine"]["loadavg_end"] = os.getloadavg()
        finally:
            self.stop_all()
        self.results["d"]["gc"] = self.gc_pauses()
        self.results["elapsed_s"] = round(time.time() - self.t0)
        self.results["commands"] = self.commands
        return self.results


SETUPS = ("pinned", "default")
SCENARIOS = ("a", "b", "c", "e", "soak", "profile")

PAYLOADS = {
    "json": {"file": "small-json.json", "label": "JSON, 2 KB request, ~1.3 KB answer"},
    "sse": {"file": "small-sse.json", "label": "SSE, 2 KB request, 7.5 KB / 56-event stream"},
    "cc50k": {"file": "claude-code-50k-sse.json", "label": "SSE, 50 KB Claude Code request, 56-event stream",
              "headers": "x-claude-code-session-id: 0b9c2d1e-7a4f-4c3b-9e8d-5f6a7b8c9d0e"},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=sorted(MODES), default="full")
    ap.add_argument("--work", required=True)
    ap.add_argument("--base-port", type=int, default=18101)
    ap.add_argument("--repeats", type=int)
    ap.add_argument("--soak-s", type=int)
    ap.add_argument("--levels", help="comma-separated concurrent stream counts, e.g. 512,2000,10000")
    ap.add_argument("--lb-java-opts", default="", help="extra JVM flags for claude-lb (JAVA_OPTS)")
    ap.add_argument("--lb-storage", choices=("on", "off"), default="on",
                    help="claude-lb's usage accounting (default on, SQLite in the work directory, as users run it)")
    ap.add_argument("--setups", default="pinned,default",
                    help="comma-separated set-ups to run (a) and (b) in: pinned, default (the first runs the rest)")
    ap.add_argument("--only", help="comma-separated scenarios: a,b,c,e,soak,profile (default all)")
    ap.add_argument("--out", help="results file (default benchmarks/results/<date>-<host>.md)")
    args = ap.parse_args()
    h = Harness(args)
    results = h.run()
    results["payloads"] = {k: v["label"] for k, v in PAYLOADS.items()}
    out = args.out or os.path.join(h.root, "benchmarks", "results",
                                   f"{datetime.date.today().isoformat()}-{results['machine']['host']}.md")
    jfr = results.get("profile", {}).get("file")
    if jfr and os.path.exists(jfr):
        # Kept next to the results for `jfr print`/JMC (not committed: .gitignore has results/*.jfr).
        results["profile"]["file"] = os.path.splitext(out)[0] + ".jfr"
        shutil.copyfile(jfr, results["profile"]["file"])
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump(results, f, indent=1, default=str)
    with open(out, "w") as f:
        f.write(report.render(results))
    log(f"results: {out} ({results['elapsed_s']} s)")


if __name__ == "__main__":
    main()
