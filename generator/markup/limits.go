package markup

import (
	"bytes"
)

// Bounds on the constructs that goldmark parses in time growing with the
// square of their number (SPEC, Limits). Measured with goldmark v1.8.7 on a
// 2-core machine: "[a](" 80,000 times in one paragraph took 19.7 s, 60,000
// footnotes 26 s, and 200,000 link reference definitions 45 s. At these
// bounds each takes well under a second, and no page a person writes comes
// near them.
//
// A paragraph's cost grows with the square of its brackets, so the page's
// sum of those squares is bounded too: thirty paragraphs of 9,000 "[a]("
// (1 MB) took 7.5 s.
const (
	maxBracketsPerParagraph = 10_000
	maxBracketWork          = 150_000_000 // Σ brackets² over the paragraphs
	maxFootnotes            = 1_000
	maxReferenceDefinitions = 10_000
)

// checkConstructs scans src once, outside fenced code, and returns a
// problem at the first construct over its bound, or nil. A page over a
// bound is refused before it is parsed.
func checkConstructs(src []byte) *Problem {
	var fence []byte // the open fence's run of ` or ~, nil outside code
	brackets, paragraph, work := 0, 0, 0
	footnotes, definitions := 0, 0
	for n, line := 1, src; len(line) > 0 || n == 1; n++ {
		var text []byte
		text, line, _ = bytes.Cut(line, []byte("\n"))
		indented := bytes.TrimLeft(text, " ")
		shallow := len(text)-len(indented) <= 3
		if shallow && (bytes.HasPrefix(indented, []byte("```")) || bytes.HasPrefix(indented, []byte("~~~"))) {
			run := indented[:len(indented)-len(bytes.TrimLeft(indented, string(indented[0])))]
			switch {
			case fence == nil:
				fence = run
				continue
			case run[0] == fence[0] && len(run) >= len(fence) && len(bytes.TrimSpace(indented[len(run):])) == 0:
				fence = nil
				continue
			}
		}
		if fence != nil {
			continue
		}
		if len(bytes.TrimSpace(text)) == 0 {
			work += brackets * brackets
			brackets, paragraph = 0, 0
			continue
		}
		if paragraph == 0 {
			paragraph = n
		}
		if shallow && bytes.HasPrefix(indented, []byte("[")) && bytes.Contains(indented, []byte("]:")) {
			if bytes.HasPrefix(indented, []byte("[^")) {
				if footnotes++; footnotes > maxFootnotes {
					return new(problemAt(n, 1, "the page has more than %d footnotes: split it into pages", maxFootnotes))
				}
			} else if definitions++; definitions > maxReferenceDefinitions {
				return new(problemAt(n, 1, "the page has more than %d link reference definitions ([name]: address): split it into pages", maxReferenceDefinitions))
			}
		} else if brackets += bytes.Count(text, []byte("[")); brackets > maxBracketsPerParagraph {
			return new(problemAt(paragraph, 1, "this paragraph has more than %d [ (links, images and footnotes): split it into shorter paragraphs; the time to read it grows with the square of their number", maxBracketsPerParagraph))
		} else if work+brackets*brackets > maxBracketWork {
			return new(problemAt(paragraph, 1, "the paragraphs up to this one hold too many [ (links, images and footnotes) for the time a page may take to read: split the page, or use fewer links in each paragraph"))
		}
		if len(line) == 0 {
			break
		}
	}
	return nil
}
