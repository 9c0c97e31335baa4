package output

import "golang.org/x/sys/unix"

// swap exchanges two folders in one step, so that the destination is never
// missing, even for an instant; it falls back to two renames where the file
// system cannot exchange.
func swap(a, b string) error {
	if err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE); err == nil {
		return nil
	}
	return swapByRename(a, b)
}
