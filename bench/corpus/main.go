// Command corpus writes the benchmark corpus: n news pages of mixed
// Chinese and English Markdown, as a lanmu site in OUT/lanmu and as the same
// content with equivalent layouts as a Hugo site in OUT/hugo.
//
//	go run ./bench/corpus -n 10000 -out /tmp/corpus [-seed 1]
//
// The same flags always write byte-identical files. The generator itself is
// the package lanmu/bench/internal/corpus.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"lanmu/bench/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "number of news pages")
	out := flag.String("out", "", "the folder to write lanmu/ and hugo/ into (required)")
	seed := flag.Int64("seed", 1, "the seed of the generated text")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: corpus -n PAGES -out DIR [-seed N]")
		os.Exit(2)
	}
	start := time.Now()
	if err := corpus.Write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "corpus: %d pages (seed %d) in %s/lanmu and %s/hugo (%.1fs)\n",
		*n, *seed, *out, *out, time.Since(start).Seconds())
}
