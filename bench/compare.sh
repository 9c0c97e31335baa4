#!/usr/bin/env bash
# compare.sh — cold builds of lanmu, Hugo and the goldmark-only floor on the
# same generated corpus, measured in alternation; prints the medians.
#
#   bench/compare.sh [-n 10000] [-runs 5] [-seed 1] [-out DIR]
#   bench/compare.sh -scale [-n 10000] [-runs 3]     # same as bench/scale.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

usage() {
	cat >&2 <<'EOF'
usage: bench/compare.sh [-n PAGES] [-runs R] [-seed S] [-out DIR]
       bench/compare.sh -scale [-n PAGES] [-runs R] [-seed S] [-out DIR]

Builds lanmu, the floor (bench/floor), the floor with lanmu's code renderer
(floorlc) and Hugo R times each, in alternation,
from a generated PAGES-page corpus, each build into a new folder under DIR
(default $TMPDIR or /tmp; -out /dev/shm measures without the disk). The
folders are deleted at the end, not between builds (see bench/lib.sh).
Prints the median wall time, CPU time (user+sys) and peak RSS of each, the
ratios lanmu/Hugo and lanmu/floor, and the number of files each wrote.
-scale runs bench/scale.sh instead (lanmu at PAGES and 2×PAGES).
Corpora are cached in $BENCH_CORPUS_CACHE (default /tmp/lanmu-bench-corpus).
EOF
	exit 2
}

n=10000 runs=5 seed=1 scale=0 outdir=
while [[ $# -gt 0 ]]; do
	case $1 in
	-n) n=${2:?}; shift 2 ;;
	-runs) runs=${2:?}; shift 2 ;;
	-seed) seed=${2:?}; shift 2 ;;
	-out) outdir=${2:?}; shift 2 ;;
	-scale) scale=1; shift ;;
	-h | -help | --help) usage ;;
	*) echo "compare.sh: unknown argument $1" >&2; usage ;;
	esac
done
[[ $n =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ && $seed =~ ^-?[0-9]+$ ]] || usage

if ((scale)); then
	exec "$ROOT/bench/scale.sh" -n "$n" -runs "$runs" -seed "$seed" ${outdir:+-out "$outdir"}
fi

need_tools hugo
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lanmu-compare.XXXXXX")
OUTS=$(outputs_root "$outdir")
trap 'rm -rf "$WORK" "$OUTS"' EXIT
trap 'exit 130' INT TERM

build_bins floor
CORPUS=$(corpus_dir "$n" "$seed")

# lanmu and the floors run back to back, so that each round's ratio is
# taken under the same load on this shared machine. floorlc is the floor
# with lanmu's own code renderer (floor -code lanmu): the floor without the
# cost of goldmark-highlighting's formatter, which lanmu does not pay.
tools=(lanmu floor floorlc hugo)
run_tool() {
	next_out "$1"
	local out=$NEXT_OUT
	case $1 in
	lanmu) measure lanmu "$out" "$LANMU_BIN" build -s "$CORPUS/lanmu" -d "$out" ;;
	hugo) measure hugo "$out" hugo --quiet -s "$CORPUS/hugo" -d "$out" ;;
	floor) measure floor "$out" "$FLOOR_BIN" -src "$CORPUS/lanmu" -out "$out" ;;
	floorlc) measure floorlc "$out" "$FLOOR_BIN" -code lanmu -src "$CORPUS/lanmu" -out "$out" ;;
	esac
}

# One untimed build of each: it fails early, with the tool's own message,
# if a tool cannot build the corpus, and it warms the caches for all three.
echo "warm-up (not counted):" >&2
settle_disk drop
for t in "${tools[@]}"; do run_tool "$t"; done
rm -f "$WORK"/*.runs

for ((i = 1; i <= runs; i++)); do
	echo "round $i/$runs:" >&2
	for t in "${tools[@]}"; do run_tool "$t"; done
done

echo
echo "lanmu vs Hugo vs floor: $n pages, $runs cold builds each, in alternation (medians)"
describe_machine
echo "hugo: $(hugo version | cut -d' ' -f2)"
echo
printf '%-7s %9s %9s %11s %8s\n' tool "wall (s)" "cpu (s)" "peak (MB)" files
for t in "${tools[@]}"; do
	printf '%-7s %9.2f %9.2f %11.0f %8d\n' "$t" "$(median "$t" 1)" "$(median "$t" 2)" \
		"$(awk -v k="$(median "$t" 3)" 'BEGIN { print k / 1024 }')" "$(median "$t" 4)"
done
echo
echo "lanmu/Hugo:  wall $(ratio "$(median lanmu 1)" "$(median hugo 1)")×  cpu $(ratio "$(median lanmu 2)" "$(median hugo 2)")×  memory $(ratio "$(median lanmu 3)" "$(median hugo 3)")×"
echo "lanmu/floor: wall $(ratio "$(median lanmu 1)" "$(median floor 1)")×  cpu $(ratio "$(median lanmu 2)" "$(median floor 2)")×"
echo "lanmu/floorlc: wall $(ratio "$(median lanmu 1)" "$(median floorlc 1)")×  cpu $(ratio "$(median lanmu 2)" "$(median floorlc 2)")×  (floorlc: the floor with lanmu's code renderer)"
echo "per round:   lanmu/floor wall $(round_ratios lanmu floor 1)"
echo "             lanmu/floorlc wall $(round_ratios lanmu floorlc 1)"
echo "             lanmu/Hugo wall $(round_ratios lanmu hugo 1)"
