#!/usr/bin/env bash
# report.html figures (issue 17): size and render time of the report of a
# 100,000-row run (ROWS to change it). The run is tn-note against a loopback
# `iqbulk sandbox`, unlimited rate. Render time is headless Chromium's
# --dump-dom of the report minus the same for an empty page (the browser's
# own start), best of 3. Needs chromium (Debian: apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rows=${ROWS:-100000}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then echo "chromium is not installed" >&2; exit 2; fi
machine
build_iqbulk
go run ./bench/genmanifest -rows "$rows" -o "$work/m.csv" >/dev/null
start_sandbox "$work/sb" --reset
"$iqbulk" run tn-note "$work/m.csv" --out "$work/run" --endpoint "$endpoint" --rate 0 --concurrency 4 --quiet >/dev/null 2>&1 || true
stop_sandbox
echo "run: $(summary_field "$work/run" outcomes), $(summary_field "$work/run" requests) requests in $(summary_field "$work/run" secs)s"
t0=$(date +%s.%N)
"$iqbulk" report "$work/run" >/dev/null
t1=$(date +%s.%N)
size=$(stat -c %s "$work/run/report.html")
echo "report.html: $size bytes ($(python3 -c "print(f'{$size/1048576:.3f}')") MiB, limit 2 MiB); iqbulk report took $(python3 -c "print(f'{$t1-$t0:.2f}')")s"
grep -Eqi 'href="[a-z]+:|src=|<script|<link|@import|url\(' "$work/run/report.html" && { echo "FAIL: the report refers to something outside it"; exit 1; }
# The browser's start dwarfs the page on a busy machine, so the page is also
# timed from inside: a harness (this script's, not the report's) loads the
# report in an iframe and records when its load event fired, after a forced
# layout of its document.
cp "$work/run/report.html" "$work/report.html"
cat >"$work/harness.html" <<'HTML'
<!DOCTYPE html><title>harness</title><pre id="t">pending</pre>
<script>
const t0 = performance.now();
const f = document.createElement("iframe");
f.style.width = "1000px"; f.style.height = "800px";
f.onload = () => {
  let h = -1;
  try { h = f.contentDocument.body.scrollHeight; } catch (e) {}
  document.getElementById("t").textContent = "loaded " + (performance.now() - t0).toFixed(0) + " ms, height " + h;
};
f.src = "report.html";
document.body.appendChild(f);
</script>
HTML
inside=$("$browser" --headless --no-sandbox --disable-gpu --no-first-run --allow-file-access-from-files --user-data-dir="$work/chrome" --virtual-time-budget=10000 --dump-dom "file://$work/harness.html" 2>/dev/null | grep -o 'loaded [0-9]* ms, height -\?[0-9]*' || echo "not measured")
echo "render inside the browser (parse, style, layout of report.html): $inside (goal < 2 s)"
echo '<!DOCTYPE html><title>blank</title>' >"$work/blank.html"
render() {
	local best=999
	for _ in 1 2 3; do
		local s e
		s=$(date +%s.%N)
		"$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/chrome" --dump-dom "file://$1" >/dev/null 2>&1
		e=$(date +%s.%N)
		best=$(python3 -c "print(min($best, $e-$s))")
	done
	echo "$best"
}
blank=$(render "$work/blank.html")
full=$(render "$work/run/report.html")
python3 -c "print(f'render: {$full:.2f}s with the browser start, {$blank:.2f}s for an empty page: the report itself {max(0,$full-$blank):.2f}s (goal < 2 s)')"
