#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 20) each with cargo-fuzz (libFuzzer) on the
# stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the sanitizer flags).
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Corpora grow in fuzz/corpus/TARGET (seeded from the repository's sample files); a crash
# leaves its input in fuzz/artifacts/TARGET and fails the script. Reproduce one with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run -O TARGET fuzz/artifacts/TARGET/crash-...` from fuzz/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(csv_import xlsx_import verify_credential qr_payload audit_chain)
export RUSTC_BOOTSTRAP=1
# The instrumented build takes long from cold (about 18 minutes on 2 cores); it lives outside
# the checkout so CI's fresh clones reuse it.
target_dir=${BEKAL_FUZZ_TARGET_DIR:-$HOME/.cache/bekal-fuzz-target}
mkdir -p "$target_dir"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz@0.13.2

seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  for file in "$@"; do
    [ -f "$file" ] && cp "$file" "corpus/$target/seed-$(basename "$file")"
  done
  return 0
}
seed csv_import ../crates/app/data/holidays-id.csv
printf 'No Reg;Nama;Tgl Lahir\nAI 12/2025;Budi Santoso;01-02-1990\n' > corpus/csv_import/seed-inmates.csv
seed verify_credential ../crates/credentials/tests/data/sample-certificate.json
seed qr_payload ../crates/credentials/tests/data/bkl1-sample.txt
mkdir -p corpus/xlsx_import
printf '<row r="2"><c r="A2" t="inlineStr"><is><t>AI 1/2025</t></is></c><c r="B2" t="s"><v>0</v></c><c r="C2"><v>32874</v></c></row>\0<si><t>Budi</t></si>' > corpus/xlsx_import/seed-rows

cargo fuzz build -O --target-dir "$target_dir"
status=0
for target in "${targets[@]}"; do
  started=$(date +%s)
  mkdir -p "corpus/$target"
  log="$target_dir/$target.log"
  if cargo fuzz run -O --target-dir "$target_dir" "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 > "$log" 2>&1; then
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
    echo "== $target: ok, $runs runs in $(( $(date +%s) - started ))s, corpus $(ls "corpus/$target" | wc -l)"
  else
    status=1
    echo "== $target: FAILED after $(( $(date +%s) - started ))s"
    grep -E 'panicked|ERROR|SUMMARY|artifact' "$log" | head -n 20
  fi
done
exit $status
