#!/usr/bin/env bash
# Issue 7's two mass updates at full size, end to end with `iqbulk run`
# (in-process, against the sandbox behind httptest): a 5,000-number office
# move (e911-validate, then e911 --validate-first over valid, correctable
# and invalid addresses) and a 5,000-number campaign move (campaign-assign
# old, campaign-remove, campaign-assign new, each --follow), checking that
# the sandbox's state agrees with the results files. CI runs it with 300.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-5000}"
IQBULK_E911_N="$N" go test -count=1 -run 'TestOfficeMoveAndCampaignMove$' -v ./cli | grep -E 'e911_test|PASS|FAIL|ok'
