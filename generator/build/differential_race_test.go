//go:build race

package build

// raceDetector is set when the tests run under -race, which slows builds
// enough that the long tests make fewer edits.
const raceDetector = true
