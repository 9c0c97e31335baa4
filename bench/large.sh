#!/usr/bin/env bash
# large.sh — the targets of large sites and of rebuilding: a 100,000-page
# build's time and peak memory, against 10,000 pages in the same run, and
# a 10,000-page rebuild into an existing public/ against Hugo rebuilding
# into its own, and against a build into a new folder.
#
#   bench/large.sh [-n 10000] [-big 100000] [-runs 3] [-seed 1] [-out DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

usage() {
	cat >&2 <<'USAGE'
usage: bench/large.sh [-n PAGES] [-big PAGES] [-runs R] [-seed S] [-out DIR]

Each round builds, in this order:
  - lanmu, PAGES pages, into a new folder (fresh);
  - lanmu, PAGES pages again into that folder, nothing changed (rebuild);
  - Hugo, PAGES pages, into its own folder built before (rebuild);
  - lanmu, BIG pages, into a new folder;
  - the floor (bench/floor -code lanmu: goldmark and lanmu's code renderer,
    no templates, lists or index), BIG pages, into a new folder.
Medians of R rounds follow, with a line per target saying OK or TOO SLOW
(the exit status stays 0):
  - BIG pages: peak under 2 GB, wall under 30 s, wall ratio BIG/PAGES ≤ 11;
  - rebuild: ≤ 0.33× Hugo's wall and ≤ 0.25× its peak memory;
  - rebuild with nothing changed: ≤ 1.1× a build into a new folder.
The floor's line shows what converting and writing BIG pages costs on this
machine at all: where the floor itself takes 30 s, no build can meet that
target here.
USAGE
	exit 2
}

n=10000 big=100000 runs=3 seed=1 outdir=
while [[ $# -gt 0 ]]; do
	case $1 in
	-n) n=${2:?}; shift 2 ;;
	-big) big=${2:?}; shift 2 ;;
	-runs) runs=${2:?}; shift 2 ;;
	-seed) seed=${2:?}; shift 2 ;;
	-out) outdir=${2:?}; shift 2 ;;
	-h | -help | --help) usage ;;
	*) echo "large.sh: unknown argument $1" >&2; usage ;;
	esac
done
[[ $n =~ ^[1-9][0-9]*$ && $big =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ && $seed =~ ^-?[0-9]+$ ]] || usage

need_tools hugo
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lanmu-large.XXXXXX")
OUTS=$(outputs_root "$outdir")
trap 'rm -rf "$WORK" "$OUTS"' EXIT
trap 'exit 130' INT TERM

build_bins floor
small=$(corpus_dir "$n" "$seed")
large=$(corpus_dir "$big" "$seed")

# The rebuilt folders stay from round to round, as a user's public/ does.
lanmu_public="$OUTS/lanmu-public"
hugo_public="$OUTS/hugo-public"
echo "first builds of the folders that are rebuilt (not counted):" >&2
measure warmup "$lanmu_public" "$LANMU_BIN" build -s "$small/lanmu" -d "$lanmu_public"
measure warmup "$hugo_public" hugo --quiet -s "$small/hugo" -d "$hugo_public"
rm -f "$WORK"/*.runs

for ((i = 1; i <= runs; i++)); do
	echo "round $i/$runs:" >&2
	next_out fresh
	measure fresh "$NEXT_OUT" "$LANMU_BIN" build -s "$small/lanmu" -d "$NEXT_OUT"
	rm -rf "$NEXT_OUT"
	measure rebuild "$lanmu_public" "$LANMU_BIN" build -s "$small/lanmu" -d "$lanmu_public"
	measure hugo "$hugo_public" hugo --quiet -s "$small/hugo" -d "$hugo_public"
	next_out big
	measure big "$NEXT_OUT" "$LANMU_BIN" build -s "$large/lanmu" -d "$NEXT_OUT"
	rm -rf "$NEXT_OUT"
	next_out floor
	measure floor "$NEXT_OUT" "$FLOOR_BIN" -code lanmu -src "$large/lanmu" -out "$NEXT_OUT"
	rm -rf "$NEXT_OUT"
done

mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
echo
echo "large sites and rebuilds: $n and $big pages, $runs rounds (medians)"
describe_machine
echo "hugo: $(hugo version | cut -d' ' -f2)"
echo
printf '%-34s %9s %9s %11s %8s\n' build "wall (s)" "cpu (s)" "peak (MB)" files
for row in "fresh:lanmu, $n pages, new folder" "rebuild:lanmu, $n pages, rebuilt" "hugo:Hugo, $n pages, rebuilt" "big:lanmu, $big pages, new folder" "floor:floor, $big pages, new folder"; do
	name=${row%%:*}
	printf '%-34s %9.2f %9.2f %11s %8d\n' "${row#*:}" "$(median "$name" 1)" "$(median "$name" 2)" "$(mb "$(median "$name" 3)")" "$(median "$name" 4)"
done
echo

# verdict NAME VALUE OP LIMIT: one target's line.
verdict() {
	if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !(op == "<" ? v < l : v <= l) }'; then
		echo "$1: OK ($2 $3 $4)"
	else
		echo "$1: TOO SLOW ($2, the target is $3 $4)"
	fi
}
verdict "$big pages, peak memory (MB)" "$(mb "$(median big 3)")" "<" 2048
verdict "$big pages, wall (s)" "$(median big 1)" "<" 30
echo "($big pages: lanmu took $(ratio "$(median big 1)" "$(median floor 1)")× the floor's wall)"
verdict "$big/$n pages, wall ratio" "$(ratio "$(median big 1)" "$(median fresh 1)")" "<=" 11
verdict "rebuild/Hugo rebuild, wall" "$(ratio "$(median rebuild 1)" "$(median hugo 1)")" "<=" 0.33
verdict "rebuild/Hugo rebuild, peak memory" "$(ratio "$(median rebuild 3)" "$(median hugo 3)")" "<=" 0.25
verdict "rebuild/new folder, wall" "$(ratio "$(median rebuild 1)" "$(median fresh 1)")" "<=" 1.1
