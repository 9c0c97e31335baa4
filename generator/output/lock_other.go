//go:build !unix

package output

import (
	"errors"
	"os"
)

// lockStaging cannot lock here, so no staging folder is ever taken for
// one whose build is gone: they are left, never removed while in use.
func lockStaging(string) (*os.File, error) { return nil, errors.ErrUnsupported }
