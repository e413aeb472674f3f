#!/usr/bin/env bash
# A throwaway PostgreSQL server for the usage-storage tests (PostgresServer.java runs this script).
#
#   postgres.sh start DATADIR PORT USER PASSWORD   initdb (first time) and start on 127.0.0.1:PORT, socket in DATADIR
#   postgres.sh stop  DATADIR                      fast shutdown (the tests also use it to take the database away)
#
# The binaries come from Debian's postgresql package, found under /usr/lib/postgresql/*/bin (the newest); when
# none is there and we are root, the package is installed with apt-get first, so `mvn -B verify` covers PostgreSQL
# on a fresh machine. initdb refuses to run as root: as root the server runs as the unprivileged user `nobody`,
# which owns DATADIR.
set -euo pipefail

cmd=${1:?start or stop}
dir=${2:?data directory}

find_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "postgres.sh: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin) and this is not root;" \
             "install Debian's postgresql package" >&2
        exit 3
    fi
    echo "postgres.sh: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bin=$(find_bin)
fi

if [ "$(id -u)" -eq 0 ]; then
    run_as() { runuser -u nobody -- "$@"; }
else
    run_as() { "$@"; }
fi

case "$cmd" in
start)
    port=${3:?port}
    user=${4:?user}
    password=${5:?password}
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        chmod 700 "$dir"
        [ "$(id -u)" -eq 0 ] && chown nobody: "$dir"
        printf '%s\n' "$password" > "$dir/.pwfile"
        [ "$(id -u)" -eq 0 ] && chown nobody: "$dir/.pwfile"
        # initdb writes into DATADIR/data so the socket, log and password file sit beside it, not in it.
        run_as "$bin/initdb" -D "$dir/data" --username="$user" --pwfile="$dir/.pwfile" --auth=scram-sha-256 \
            --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
        rm -f "$dir/.pwfile"
        touch "$dir/PG_VERSION"
    fi
    run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        run_as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
*)
    echo "postgres.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
