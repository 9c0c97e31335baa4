# Shared by compare.sh and scale.sh; sourced, not run. It expects
# `set -euo pipefail` and the variables ROOT (the repository), WORK (a
# temporary folder the caller removes with a trap) and OUTS (where the
# builds write, a folder the caller removes with a trap too).

LANMU_BIN=/tmp/lanmu-bench
FLOOR_BIN=/tmp/floor-bench
# Generated corpora are kept here between runs and reused when their
# marker says they were made with the same page count and seed.
CORPUS_CACHE=${BENCH_CORPUS_CACHE:-${TMPDIR:-/tmp}/lanmu-bench-corpus}

die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# need_tools checks for go, /usr/bin/time and, with "hugo", for hugo.
need_tools() {
	command -v go >/dev/null || die "go is not installed (Go 1.26 or newer is needed)"
	if [[ ! -x /usr/bin/time ]]; then
		if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
			echo "installing GNU time (apt-get install time)…" >&2
			apt-get install -y -qq time >/dev/null || die "/usr/bin/time is missing and 'apt-get install time' failed"
		else
			die "/usr/bin/time is missing: run 'apt-get install time' (as root)"
		fi
	fi
	if [[ ${1:-} == hugo ]]; then
		command -v hugo >/dev/null || die "hugo is not installed: run 'apt-get install hugo'"
	fi
}

# build_bins builds the lanmu binary and, with "floor", the floor.
build_bins() {
	echo "building $LANMU_BIN…" >&2
	(cd "$ROOT" && go build -o "$LANMU_BIN" ./cmd/lanmu) || die "go build ./cmd/lanmu failed"
	if [[ ${1:-} == floor ]]; then
		echo "building $FLOOR_BIN…" >&2
		(cd "$ROOT" && go build -o "$FLOOR_BIN" ./bench/floor) || die "go build ./bench/floor failed"
	fi
}

# corpus_dir N SEED prints the folder of the N-page corpus, generating it
# first unless the cache already holds it.
corpus_dir() {
	local n=$1 seed=$2 dir
	dir="$CORPUS_CACHE/n$n-s$seed"
	if [[ $(cat "$dir/.bench-corpus" 2>/dev/null) != "n=$n seed=$seed" ]]; then
		mkdir -p "$dir"
		(cd "$ROOT" && go run ./bench/corpus -n "$n" -seed "$seed" -out "$dir") >&2 ||
			die "generating the $n-page corpus in $dir failed"
	else
		echo "reusing the $n-page corpus in $dir" >&2
	fi
	echo "$dir"
}

# next_out NAME sets NEXT_OUT to a folder no build has used, under $OUTS.
# (It sets a variable rather than printing, as a $(…) subshell could not
# count the builds.)
#
# Every build writes to a new folder, and none is deleted until the end of
# the run. On an ext4 file system without a journal (this machine's disk)
# the kernel will not reuse an inode freed less than 60 seconds before (300
# while its inode table is unwritten): it skips such inodes one by one,
# reading their table blocks, which made a build after `rm -rf` of the last
# one's output spend 3 to 7 times its usual system time, more for the tool
# that writes more files. Writing into fresh folders measures the tools,
# not that.
builds=0
NEXT_OUT=
next_out() {
	builds=$((builds + 1))
	NEXT_OUT="$OUTS/$1-$builds"
}

# settle_disk writes out what earlier builds left in memory, so that no
# build pays for another's writes. Run as root, it also drops the page
# cache once, before the warm-up builds, so that files deleted shortly
# before the run (an earlier run's outputs) are not in the way either.
settle_disk() {
	sync
	if [[ ${1:-} == drop && $(id -u) -eq 0 && -w /proc/sys/vm/drop_caches ]]; then
		echo 3 >/proc/sys/vm/drop_caches
	fi
}

# measure NAME OUT CMD... runs CMD, which writes into the new folder OUT,
# under /usr/bin/time and appends "wall cpu rss_kb files" to
# $WORK/NAME.runs. A failing command stops the script with its output.
measure() {
	local name=$1 out=$2
	shift 2
	settle_disk
	if ! /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >"$WORK/log" 2>&1; then
		echo "$(basename "$0"): $name failed: $*" >&2
		cat "$WORK/log" >&2
		exit 1
	fi
	local wall user sys rss files
	read -r wall user sys rss <"$WORK/time"
	files=$(find "$out" -type f | wc -l)
	echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $rss $files" >>"$WORK/$name.runs"
	printf '  %-8s wall %6.2fs  cpu %6.2fs (sys %5.2fs)  peak %6.0f MB  %6d files\n' \
		"$name" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$sys" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$files" >&2
}

# outputs_root DIR prints the folder the builds write into: a new one
# inside DIR, or beside the corpus cache when DIR is empty.
outputs_root() {
	local dir=${1:-${TMPDIR:-/tmp}}
	mkdir -p "$dir" || die "cannot create $dir"
	mktemp -d "$dir/lanmu-bench-out.XXXXXX"
}

# median NAME COLUMN prints the median of a column of $WORK/NAME.runs
# (1 wall s, 2 cpu s, 3 peak kB, 4 files).
median() {
	cut -d' ' -f"$2" "$WORK/$1.runs" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR % 2) print v[(NR + 1) / 2]
			else print (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# round_ratios A B COLUMN prints the ratio A/B of each round, and their
# median: a figure that a change of load between rounds moves less than
# the ratio of two medians.
round_ratios() {
	local ratios
	ratios=$(paste -d' ' <(cut -d' ' -f"$3" "$WORK/$1.runs") <(cut -d' ' -f"$3" "$WORK/$2.runs") |
		awk '{ printf "%.2f\n", $2 == 0 ? 0 : $1 / $2 }')
	printf '%s (median %s×)' "$(echo "$ratios" | paste -sd' ')" \
		"$(echo "$ratios" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
}

# ratio A B prints A/B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'
}

# describe_machine prints what the figures were measured on.
describe_machine() {
	local cpu
	cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
	echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo "output: $OUTS ($(df -PT "$OUTS" 2>/dev/null | awk 'NR == 2 { print $2 }') file system)"
	echo "$(go version | cut -d' ' -f3-); $("$LANMU_BIN" version 2>/dev/null | head -1)"
}
