#!/usr/bin/env bash
# Peak memory (RSS, from /usr/bin/time -v) and the answer of `iqbulk run`
# on hostile manifests: a 50 MB cell, a 50 MB quoted cell over many lines, a
# 50 MB header line, an XLSX of ~1 MB whose sheet inflates to 1 GiB, and an
# XLSX holding one 48 MB string. Each must be refused (exit 2) naming the
# line and column, with a short message, nothing sent, in < 200 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
machine
build_iqbulk
export IQBULK_SANDBOX_STATE="$work/sandbox"

python3 - "$work" <<'PY'
import os, random, string, sys, zipfile, zlib
w = sys.argv[1]
big = 50 << 20
with open(f"{w}/cell.csv", "w") as f:
    f.write("tn,tn_note\n3125550100,"); f.write("A" * big); f.write("\n")
with open(f"{w}/quoted.csv", "w") as f:
    f.write('tn,tn_note\n3125550100,"')
    line = "B" * 999 + "\n"
    for _ in range(big // 1000): f.write(line)
    f.write('"\n')
with open(f"{w}/header.csv", "w") as f:
    f.write("H" * big); f.write("\n3125550100\n")

parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}
head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
tail = '</sheetData></worksheet>'

# 1. the bomb: one sheet that inflates to 1 GiB
with zipfile.ZipFile(f"{w}/bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for n, d in parts.items(): z.writestr(n, d)
    z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>tn</t></si></sst>')
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
        f.write(head.encode() + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
        pad = b"<!--" + b"x" * (1 << 20) + b"-->"
        for _ in range(1024): f.write(pad)
        f.write(tail.encode())

# 2. one 48 MB string that compresses poorly (no ratio to refuse)
rnd = random.Random(1)
s = "".join(rnd.choices(string.ascii_letters, k=48 << 20))
with zipfile.ZipFile(f"{w}/bigstring.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for n, d in parts.items(): z.writestr(n, d)
    z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>tn</t></si><si><t>tn_note</t></si><si><t>' + s + '</t></si></sst>')
    z.writestr("xl/worksheets/sheet1.xml", head + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>3125550100</t></is></c><c r="B2" t="s"><v>2</v></c></row>' + tail)
PY

worst=0
for m in cell.csv quoted.csv header.csv bomb.xlsx bigstring.xlsx; do
	code=0
	/usr/bin/time -v "$iqbulk" run tn-order "$work/$m" --out "$work/run-$m" >"$work/$m.out" 2>"$work/$m.err" || code=$?
	rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$work/$m.err")
	msg=$(grep '^iqbulk:' "$work/$m.err" | head -1)
	printf '%-15s %6s KB  exit %d  peak RSS %4d MB  stderr %5d bytes  %s\n' "$m" "$(($(stat -c %s "$work/$m") / 1024))" "$code" "$rss" \
		"$(grep -v -E '^\s+(Command|User|System|Percent|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File|Socket|Signals|Page|Exit)' "$work/$m.err" | wc -c)" "${msg:0:160}"
	((rss > worst)) && worst=$rss
	[[ $code -eq 2 ]] || { echo "verdict: FAILED ($m exited $code, want 2)"; exit 1; }
done
v=ok
((worst < 200)) || v=MISSED
echo "verdict: $v: every hostile manifest refused with exit 2; worst peak RSS $worst MB (goal < 200)"
