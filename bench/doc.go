// Package bench holds the benchmarks of the whole lanmu build. The package
// itself has no code outside its tests; the tools it goes with are
// bench/corpus (the corpus generator), bench/floor (the goldmark-only lower
// bound) and the scripts compare.sh and scale.sh. See bench/README.md.
package bench
