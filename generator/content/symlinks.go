package content

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ResolveInSite follows the symbolic links in p, a path under the site
// folder siteDir, and returns the real path of the file p names.
//
// A site is often edited by many people and built by a machine that holds
// other files: a link in content/ or static/ to /etc/passwd or to
// ../../secret must never be published. So a link is followed only when it
// ends at a file inside the site. Links to folders are not followed either,
// even inside the site: one such link could repeat a whole tree of pages,
// or loop. The error says, in words for an editor, why a link is refused;
// it names where the link points but never shows what is there.
func ResolveInSite(siteDir, p string) (string, error) {
	// Both absolute: a link written as an absolute path resolves to one,
	// and could not be compared with a relative site folder such as ".".
	target, err := filepath.Abs(p)
	if err == nil {
		target, err = filepath.EvalSymlinks(target)
	}
	if err != nil {
		return "", fmt.Errorf("symbolic link is broken or loops%s; lanmu does not follow it", pointsTo(p))
	}
	root, err := filepath.Abs(siteDir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("symbolic link points outside the site%s; lanmu does not follow it", pointsTo(p))
	}
	info, err := os.Stat(target)
	if err != nil {
		return "", err
	}
	if info.IsDir() {
		return "", fmt.Errorf("symbolic link to a folder%s; lanmu follows links to files only: copy the folder, or link its files one by one", pointsTo(p))
	}
	return target, nil
}

// pointsTo says where the link at p points, as it is written, for
// messages; "" when p is not a link.
func pointsTo(p string) string {
	if to, err := os.Readlink(p); err == nil {
		return fmt.Sprintf(" (to %s)", to)
	}
	return ""
}
