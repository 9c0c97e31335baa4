# Shared by compare.sh and scale.sh; sourced, not run. It expects
# `set -euo pipefail` and the variables ROOT (the repository) and WORK (a
# temporary folder the caller removes with a trap).

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

# measure NAME OUT CMD... removes OUT, runs CMD under /usr/bin/time and
# appends "wall cpu rss_kb files" to $WORK/NAME.runs. A failing command
# stops the script with its output.
measure() {
	local name=$1 out=$2
	shift 2
	rm -rf "$out"
	sync # the previous run's writes and deletions are not charged to this one
	if ! /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >"$WORK/log" 2>&1; then
		echo "$(basename "$0"): $name failed: $*" >&2
		cat "$WORK/log" >&2
		exit 1
	fi
	local wall user sys rss files
	read -r wall user sys rss <"$WORK/time"
	files=$(find "$out" -type f | wc -l)
	echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $rss $files" >>"$WORK/$name.runs"
	printf '  %-8s wall %6.2fs  cpu %6.2fs  peak %6.0f MB  %6d files\n' \
		"$name" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$files" >&2
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

# ratio A B prints A/B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'
}

# describe_machine prints what the figures were measured on.
describe_machine() {
	local cpu
	cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
	echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo "$(go version | cut -d' ' -f3-); $("$LANMU_BIN" version 2>/dev/null | head -1)"
}
