#!/usr/bin/env bash
# Against Newman: the same ROWS rows (default 10,000) through a Postman
# collection run by Newman (one request per row, sequential, as a user would
# run a CSV data file) and through iqbulk, each against a freshly reset
# sandbox with the same rate limit (`iqbulk sandbox --rate RATE`, default
# 200) and the same injected latency (LATENCY, default 20ms, standing in for
# the network and the API's own time):
#   tn-note: tnNoteUpdate, one number per request in Newman, 100 in iqbulk;
#   e911:    tnE911, one number per request in both (iqbulk runs
#            --concurrency CONCURRENCY, default 16, at --rate RATE).
# The collections fetch one OAuth2 token (a collection pre-request script,
# the usual Postman pattern) and check each answer's body statusCode.
# Prints wall time, requests sent and rows done for both, the ratios (goals:
# >= 50x less wall time for tn-note, >= 4x for e911) and whether the
# sandbox's end state (numbers, notes, 911 addresses: `iqbulk export
# assigned`) is identical. Newman comes from the npm registry into a
# temporary folder; without npm or the registry it prints SKIPPED and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS="${ROWS:-10000}"
RATE="${RATE:-200}"
LATENCY="${LATENCY:-20ms}"
CONCURRENCY="${CONCURRENCY:-16}"
machine

if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
	echo "verdict: SKIPPED: npm/node not installed"
	exit 0
fi
if ! npm install --silent --no-audit --no-fund --prefix "$work/npm" newman >"$work/npm.log" 2>&1; then
	tail -5 "$work/npm.log"
	echo "verdict: SKIPPED: newman could not be installed from the npm registry (see above)"
	exit 0
fi
newman="$work/npm/node_modules/.bin/newman"
echo "newman $("$newman" --version), node $(node --version)"
build_iqbulk

# The numbers: ordered once, in a sandbox state copied fresh for each tool.
start_sandbox "$work/base" --reset
in_service "$ROWS" "$work/tns.txt"
stop_sandbox

# Data files: the same rows for both tools.
{ echo tn,note; awk '{printf "%s,newman comparison %d\n", $1, NR}' "$work/tns.txt"; } >"$work/note.csv"
{
	echo tn,name,street_num,street_info,location,city,state,postal_code
	awk '{printf "%s,Bench User %d,%d,W Adams St,Floor %d,Chicago,IL,60661\n", $1, NR, 1 + NR % 1999, 1 + NR % 40}' "$work/tns.txt"
} >"$work/e911.csv"

# The Postman collections (v2.1).
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
prerequest = {
    "listen": "prerequest",
    "script": {"type": "text/javascript", "exec": [
        "if (!pm.collectionVariables.get('token')) {",
        "  pm.sendRequest({",
        "    url: pm.variables.get('tokenUrl'), method: 'POST',",
        "    header: {'Content-Type': 'application/x-www-form-urlencoded'},",
        "    body: {mode: 'urlencoded', urlencoded: [",
        "      {key: 'grant_type', value: 'client_credentials'},",
        "      {key: 'client_id', value: pm.variables.get('key')},",
        "      {key: 'client_secret', value: pm.variables.get('secret')}]}",
        "  }, function (err, res) {",
        "    if (err) { throw err; }",
        "    pm.collectionVariables.set('token', res.json().access_token);",
        "  });",
        "}",
    ]},
}
test = {
    "listen": "test",
    "script": {"type": "text/javascript", "exec": [
        "pm.test('statusCode 200', function () {",
        "  pm.expect(String(pm.response.json().statusCode)).to.eql('200');",
        "});",
    ]},
}
def collection(name, op, body):
    return {
        "info": {"name": name, "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "event": [prerequest],
        "variable": [{"key": "token", "value": ""}],
        "item": [{
            "name": op,
            "event": [test],
            "request": {
                "method": "POST",
                "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
                "header": [{"key": "Content-Type", "value": "application/json"}],
                "body": {"mode": "raw", "raw": json.dumps(body, indent=2)},
                "url": "{{baseUrl}}/" + op,
            },
        }],
    }
note = collection("iqbulk bench: tnNoteUpdate", "tnNoteUpdate",
    {"privateKey": "{{key}}", "tnNote": {"tnList": {"tnItem": [{"tn": "{{tn}}", "tnNote": "{{note}}"}]}}})
e911 = collection("iqbulk bench: tnE911", "tnE911",
    {"privateKey": "{{key}}", "tn": "{{tn}}", "name": "{{name}}", "streetNum": "{{street_num}}",
     "streetInfo": "{{street_info}}", "location": "{{location}}", "city": "{{city}}", "state": "{{state}}",
     "postalCode": "{{postal_code}}"})
json.dump(note, open(f"{work}/note.postman_collection.json", "w"), indent=2)
json.dump(e911, open(f"{work}/e911.postman_collection.json", "w"), indent=2)
PY

fresh() { # name: a fresh sandbox from the base state, rate-limited, slowed
	rm -rf "$work/state-$1"
	cp -a "$work/base" "$work/state-$1"
	rm -f "$work/state-$1/lock"
	start_sandbox "$work/state-$1" --rate "$RATE" --faults "latency=$LATENCY"
}
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
export_state() { # file
	"$iqbulk" export assigned --endpoint "$endpoint" --rate 0 --quiet -o "$work/$1.full.csv" >/dev/null
	# numbers, notes, 911 addresses: what the two tools set (not activation times)
	python3 - "$work/$1.full.csv" >"$work/$1" <<'PY'
import csv, sys
cols = ["tn", "tn_status", "tn_note", "e911_name", "e911_orig_street_num", "e911_orig_street_info",
        "e911_orig_location", "e911_orig_city", "e911_orig_state", "e911_orig_postal_code"]
with open(sys.argv[1], encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        print(",".join(r[c] for c in cols))
PY
}

# Newman
fresh newman
declare -A nwall nreq nrows iwall ireq irows
for job in note e911; do
	t0=$(now)
	"$newman" run "$work/$job.postman_collection.json" -d "$work/$job.csv" \
		--env-var "baseUrl=$endpoint" --env-var "tokenUrl=http://127.0.0.1:$port/oauth2/token" \
		--env-var "key=$IQ_API_KEY" --env-var "secret=$IQ_API_SECRET" \
		--reporters json --reporter-json-export "$work/newman-$job.json" >/dev/null 2>"$work/newman-$job.err" || true
	t1=$(now)
	nwall[$job]=$(secs "$t0" "$t1")
	read -r nreq[$job] nrows[$job] < <(python3 - "$work/newman-$job.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["run"]["stats"]
# requests in the run, plus the one token request of the pre-request script
print(r["requests"]["total"] + 1, r["assertions"]["total"] - r["assertions"]["failed"])
PY
)
done
export_state newman.state
stop_sandbox

# iqbulk
fresh iqbulk
for job in note e911; do
	kind=tn-note
	[[ $job == e911 ]] && kind=e911
	t0=$(now)
	"$iqbulk" run "$kind" "$work/$job.csv" --out "$work/iq-$job" --endpoint "$endpoint" --rate "$RATE" --concurrency "$CONCURRENCY" >/dev/null 2>"$work/iq-$job.err" || true
	t1=$(now)
	iwall[$job]=$(secs "$t0" "$t1")
	ireq[$job]=$(( $(summary_field "$work/iq-$job" requests) + 1 )) # + the token request
	irows[$job]=$(python3 -c "import json; print(json.load(open('$work/iq-$job/summary.json'))['outcomes']['ok'])")
done
export_state iqbulk.state
stop_sandbox

echo "rows $ROWS; sandbox --rate $RATE --faults latency=$LATENCY; iqbulk --rate $RATE --concurrency $CONCURRENCY"
verdict=ok
for job in note e911; do
	goal=50
	[[ $job == e911 ]] && goal=4
	ratio=$(python3 -c "print(f'{${nwall[$job]} / ${iwall[$job]}:.1f}')")
	v=ok
	python3 -c "import sys; sys.exit(0 if ${nwall[$job]} / ${iwall[$job]} >= $goal else 1)" || { v=MISSED; verdict=MISSED; }
	printf '%-5s newman: %8s s, %6d requests, %6d rows done | iqbulk: %7s s, %6d requests, %6d rows done | %sx less wall time (goal >= %dx: %s)\n' \
		"$job" "${nwall[$job]}" "${nreq[$job]}" "${nrows[$job]}" "${iwall[$job]}" "${ireq[$job]}" "${irows[$job]}" "$ratio" "$goal" "$v"
	if [[ "${nrows[$job]}" != "$ROWS" || "${irows[$job]}" != "$ROWS" ]]; then
		echo "  not every row done (newman ${nrows[$job]}, iqbulk ${irows[$job]} of $ROWS)"
		verdict=FAILED
	fi
done
if cmp -s "$work/newman.state" "$work/iqbulk.state"; then
	echo "end state: identical ($(wc -l <"$work/iqbulk.state") assigned numbers compared on tn, status, note and 911 address)"
else
	echo "end state: DIFFERENT:"
	diff "$work/newman.state" "$work/iqbulk.state" | head -10
	verdict=FAILED
fi
echo "verdict: $verdict"
[[ $verdict != FAILED ]]
