package output

import "os"

// swapByRename exchanges folders a and b through a third name; b is missing
// for the moment between the two renames.
func swapByRename(a, b string) error {
	aside := a + ".old"
	if err := os.Rename(b, aside); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(aside, b)
		return err
	}
	return os.Rename(aside, a)
}
