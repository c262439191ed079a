# Shared helpers of the bench scripts (limit.sh, vs-newman.sh, memory.sh,
# soak.sh): source it after `cd` to the repository root. It builds the binary
# once into $work, starts and stops `iqbulk sandbox` on a free loopback port,
# and prepares In Service numbers. Nothing here leaves loopback.

work=$(mktemp -d)
sbpid=""
bench_cleanup() {
	stop_sandbox
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap bench_cleanup EXIT

export IQ_API_KEY=Abcd1FghIjK2314mno5pqrX6yzab IQ_API_SECRET=iqbulk-sandbox-demo-secret

machine() {
	echo "machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') memory, $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%dT%H:%MZ)"
}

build_iqbulk() {
	go build -o "$work/iqbulk" .
	iqbulk="$work/iqbulk"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_sandbox STATE_DIR [sandbox flags...]: serves on a free loopback port,
# sets $endpoint; --reset is the caller's choice.
start_sandbox() {
	local state="$1"
	shift
	stop_sandbox
	port=$(free_port)
	"$iqbulk" sandbox --listen "127.0.0.1:$port" --state "$state" "$@" >>"$work/sandbox.log" 2>&1 &
	sbpid=$!
	for _ in $(seq 200); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
		if ! kill -0 "$sbpid" 2>/dev/null; then
			echo "sandbox failed to start:" >&2
			cat "$work/sandbox.log" >&2
			return 1
		fi
		sleep 0.05
	done
	endpoint="http://127.0.0.1:$port/Services/1.0.0"
}

stop_sandbox() {
	if [[ -n "${sbpid:-}" ]]; then
		kill "$sbpid" 2>/dev/null || true
		wait "$sbpid" 2>/dev/null || true
		sbpid=""
	fi
}

# candidates N: N+10% ten-digit numbers from blocks that are fully
# available in the seeded world (CRAGMERE 201-335, ORADELL 201-554 and
# 201-267, ...), one a line; about 2% of each block is reserved by another
# customer and comes back excluded.
candidates() {
	python3 - "$1" <<'PY'
import sys
want = int(sys.argv[1]) * 11 // 10 + 50
blocks = ["201335", "201554", "201267"]
out = []
for npa_nxx in blocks:
    for line in range(0, 10000):
        out.append(f"{npa_nxx}{line:04d}")
        if len(out) >= want:
            break
    if len(out) >= want:
        break
print("\n".join(out))
PY
}

# in_service N FILE: orders numbers (tn-order, 100 per request, no rate
# limit) until N are In Service and writes them to FILE, one a line.
in_service() {
	local n="$1" file="$2"
	local have
	have=$(python3 -c "import math; print(math.ceil($n*1.1)+50)")
	if ((have > 30000)); then
		# more than three blocks: take numbers the inventory export lists
		"$iqbulk" export inventory --endpoint "$endpoint" --rate 0 --quiet -o "$work/inv.csv" >/dev/null
		python3 - "$work/inv.csv" "$have" >"$work/order.csv" <<'PY'
import csv, sys
n = int(sys.argv[2])
print("tn")
with open(sys.argv[1], encoding="utf-8-sig") as f:
    r = csv.DictReader(f)
    col = "tn" if "tn" in r.fieldnames else r.fieldnames[0]
    for i, row in enumerate(r):
        if i >= n:
            break
        print(row[col])
PY
	else
		{ echo tn; candidates "$n"; } >"$work/order.csv"
	fi
	"$iqbulk" run tn-order "$work/order.csv" --out "$work/order-$n" --endpoint "$endpoint" --rate 0 --concurrency 4 >/dev/null 2>&1 || true
	python3 - "$work/order-$n/results.csv" "$n" >"$file" <<'PY'
import csv, sys
n = int(sys.argv[2])
with open(sys.argv[1], encoding="utf-8-sig") as f:
    tns = [r["tn"] for r in csv.DictReader(f) if r["status"] == "ok"][:n]
if len(tns) < n:
    sys.exit(f"only {len(tns)} of {n} numbers could be ordered")
print("\n".join(tns))
PY
}

# summary_secs RUN_DIR: wall seconds between the run's start and finish.
summary_field() {
	python3 - "$1/summary.json" "$2" <<'PY'
import json, sys
from datetime import datetime
s = json.load(open(sys.argv[1]))
k = sys.argv[2]
if k == "secs":
    t = lambda x: datetime.fromisoformat(x.replace("Z", "+00:00"))
    print(f"{(t(s['finished']) - t(s['started'])).total_seconds():.3f}")
elif k == "outcomes":
    print(" ".join(f"{o}={c}" for o, c in sorted(s["outcomes"].items()) if c))
else:
    print(s[k])
PY
}
