#!/usr/bin/env bash
# Engine figures: rate fidelity at --rate 50 for 30 s, and the engine's
# overhead against a bare loop of the same tnNoteUpdate calls (100,000 rows,
# unlimited rate; with no latency and with 2 ms of sandbox latency).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') memory, $(go version | cut -d' ' -f3)"
go test -run '^$' -bench 'RateFidelity|Overhead' -benchtime 1x ./pipeline/ | grep -E 'fidelity|overhead'
