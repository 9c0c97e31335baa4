//go:build unix

package output

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockStaging takes the lock of a staging folder, without waiting: the
// folder is open for as long as the returned file is, and the kernel lets
// the lock go with the process however it ends.
func lockStaging(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
