package watch

import "strings"

// junkSuffixes end the names of backup, swap and scratch files that editors
// and tools write next to the real file; rebuilding for them would only show
// the reader a half-saved page.
var junkSuffixes = []string{
	"~",     // Emacs, gedit, nano backups; Vim with backupcopy=no
	".swp",  // Vim swap files
	".swx",  // Vim swap file fallback name
	".swpx", // Vim probes whether it may create a swap file with this name
	".bck",  // various editors' backups
	".tmp",  // write-then-rename ("atomic") saves of many tools
}

// IgnoredName reports whether a base name belongs to an editor temp or junk
// file, or to a hidden file or folder: such names never trigger a rebuild and
// hidden folders (.git above all) are not even watched.
//
// It matches names ending in "~", ".swp", ".swx", ".swpx", ".bck" or ".tmp";
// exactly "4913" (Vim's probe whether it may write in a folder); starting with
// ".#" (Emacs lock files) or both starting and ending with "#" (Emacs
// auto-save); starting with ".goutputstream-" (GTK's atomic save); JetBrains'
// safe-write names ("jb_tmp___", "jb_old___" and the longer
// "page.md___jb_tmp___" form); and any name starting with ".".
//
// lanmu's content package keeps its own list for deciding what content to
// read; this one is deliberately self-contained so that what wakes the
// watcher can be tuned without changing what a build reads.
func IgnoredName(name string) bool {
	if name == "" {
		return false
	}
	// Hidden names also cover ".#x" (Emacs locks), ".goutputstream-x" and
	// ".x.swp"; they are still listed in the doc comment because a custom
	// Ignore that un-hides dot files may want to keep them in mind.
	if name[0] == '.' {
		return true
	}
	if name == "4913" {
		return true
	}
	for _, s := range junkSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	if len(name) >= 2 && name[0] == '#' && name[len(name)-1] == '#' {
		return true
	}
	// JetBrains "safe write" writes page.md___jb_tmp___, renames the old file
	// to page.md___jb_old___, and older versions use bare jb_*___ names.
	if strings.HasSuffix(name, "___") && (strings.HasPrefix(name, "jb_") || strings.Contains(name, "___jb_")) {
		return true
	}
	return false
}
