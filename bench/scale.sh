#!/usr/bin/env bash
# scale.sh — is lanmu's build linear in the page count? Cold builds of an
# N-page and a 2N-page corpus, in alternation; prints the medians and the
# ratio, which should be at most 2.2.
#
#   bench/scale.sh [-n 10000] [-runs 3] [-seed 1] [-out DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# The most a build of 2N pages may take, as a multiple of N pages.
LIMIT=2.2

usage() {
	cat >&2 <<'EOF'
usage: bench/scale.sh [-n PAGES] [-runs R] [-seed S] [-out DIR]

Builds lanmu R times each from a PAGES-page and a 2×PAGES-page corpus, in
alternation, each build into a new folder under DIR (default $TMPDIR or
/tmp; see compare.sh), and prints the medians
and their ratio. The build is linear enough when the ratio of wall times is
at most 2.2; the last line says OK or TOO SLOW (the exit status stays 0).
EOF
	exit 2
}

n=10000 runs=3 seed=1 outdir=
while [[ $# -gt 0 ]]; do
	case $1 in
	-n) n=${2:?}; shift 2 ;;
	-runs) runs=${2:?}; shift 2 ;;
	-seed) seed=${2:?}; shift 2 ;;
	-out) outdir=${2:?}; shift 2 ;;
	-h | -help | --help) usage ;;
	*) echo "scale.sh: unknown argument $1" >&2; usage ;;
	esac
done
[[ $n =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ && $seed =~ ^-?[0-9]+$ ]] || usage

need_tools
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lanmu-scale.XXXXXX")
OUTS=$(outputs_root "$outdir")
trap 'rm -rf "$WORK" "$OUTS"' EXIT
trap 'exit 130' INT TERM

build_bins
n2=$((2 * n))
small=$(corpus_dir "$n" "$seed")
large=$(corpus_dir "$n2" "$seed")

run_size() {
	local name=$1 dir=$2
	next_out "$name"
	local out=$NEXT_OUT
	measure "$name" "$out" "$LANMU_BIN" build -s "$dir/lanmu" -d "$out"
}

echo "warm-up (not counted):" >&2
settle_disk drop
run_size "n$n" "$small"
run_size "n$n2" "$large"
rm -f "$WORK"/*.runs

for ((i = 1; i <= runs; i++)); do
	echo "round $i/$runs:" >&2
	run_size "n$n" "$small"
	run_size "n$n2" "$large"
done

echo
echo "lanmu scaling: $n vs $n2 pages, $runs cold builds each, in alternation (medians)"
describe_machine
echo
printf '%-7s %9s %9s %11s %8s\n' pages "wall (s)" "cpu (s)" "peak (MB)" files
for p in "$n" "$n2"; do
	printf '%-7s %9.2f %9.2f %11.0f %8d\n' "$p" "$(median "n$p" 1)" "$(median "n$p" 2)" \
		"$(awk -v k="$(median "n$p" 3)" 'BEGIN { print k / 1024 }')" "$(median "n$p" 4)"
done
echo
wall=$(ratio "$(median "n$n2" 1)" "$(median "n$n" 1)")
echo "$n2/$n: wall ${wall}×  cpu $(ratio "$(median "n$n2" 2)" "$(median "n$n" 2)")×  memory $(ratio "$(median "n$n2" 3)" "$(median "n$n" 3)")×  files $(ratio "$(median "n$n2" 4)" "$(median "n$n" 4)")×"
echo "per round: $n2/$n wall $(round_ratios "n$n2" "n$n" 1)"
if awk -v r="$wall" -v l="$LIMIT" 'BEGIN { exit !(r <= l) }'; then
	echo "linearity: OK (wall ratio ${wall} ≤ ${LIMIT})"
else
	echo "linearity: TOO SLOW (wall ratio ${wall} > ${LIMIT})"
fi
