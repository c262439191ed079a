#!/usr/bin/env bash
# The engine's exactly-once promise under fire, full form: a 20,000-number
# tn-order run against a sandbox injecting error=0.02,lost=0.01, SIGKILLed at
# 10 random moments and resumed each time until it finishes; then checks that
# no number was applied twice, that every row has one final outcome, and that
# the results agree with the sandbox's state. CI runs the short form (2,000
# numbers) as part of `go test ./...`.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-20000}"
IQBULK_CRASH_N="$N" go test -count=1 -run 'TestCrashResumeExactlyOnce$' -v ./cli | grep -E 'crash_test|PASS|FAIL|ok'
