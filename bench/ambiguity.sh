#!/usr/bin/env bash
# Exactly once against the answers a real API gives and a kind sandbox never
# did (issue 13), full form: tn-order of N numbers (default 1,000) in batches
# of 10, tn-disconnect, port-in and tf-order at a third to a tenth of that,
# each against a sandbox injecting error=0.02,lost=0.02,applied-error=0.05
# and lagging lookups by 2 s, with --settle 3s, SIGKILLed 4 times and resumed
# until done. Checks that no number is in two applied requests or sent again
# after a request applied it, that every row is final, and that the
# account's state agrees with the results. CI runs the short form (300
# numbers) as part of `go test ./...`.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-1000}"
IQBULK_AMBIGUITY_N="$N" go test -count=1 -timeout 30m -run 'TestExactlyOnceUnderAmbiguity$' -v ./cli | grep -E 'ambiguity_test|PASS|FAIL|^ok'
