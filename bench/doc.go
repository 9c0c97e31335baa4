// Package bench holds the benchmarks of the whole lanmu build. The package
// itself has no code outside its tests; the tools it goes with are
// bench/corpus (the corpus generator), bench/floor (the goldmark-only lower
// bound), bench/latency (how soon lanmu serve and hugo server report an
// edit), bench/savegaps (how real saves look to a file watcher) and the
// scripts compare.sh and scale.sh. See bench/README.md.
package bench
