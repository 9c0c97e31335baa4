package output

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"lanmu/generator/messages"
)

// journalName is the file in a staging folder that lists, before the
// destination is touched, what its update does; a build stopped during the
// update is finished from it by the next (see Recover).
const journalName = ".update"

// update is what bringing a destination in place to a new build does: the
// files the last build made and this one did not are removed, then the
// staged files renamed over the old ones, the manifest last, so that it
// never lists a file that is not there yet.
type update struct {
	remove []string // site paths
	moves  []move
}

// move renames a staged file, by its name in the staging folder, to a site
// path.
type move struct{ staged, path string }

// plan is the update that Commit makes of this build.
func (d *Dir) plan() update {
	var u update
	for p := range d.old {
		if _, ok := d.files[p]; !ok && p != "/"+ManifestName {
			u.remove = append(u.remove, p)
		}
	}
	sort.Strings(u.remove)
	for p, f := range d.files {
		if f.staged != "" && p != "/"+ManifestName {
			u.moves = append(u.moves, move{f.staged, p})
		}
	}
	// Parents come before their children, and the folders of a page's
	// files are made once.
	sort.Slice(u.moves, func(i, j int) bool { return u.moves[i].path < u.moves[j].path })
	u.moves = append(u.moves, move{d.files["/"+ManifestName].staged, "/" + ManifestName})
	return u
}

// save writes the update's journal into the staging folder.
func (u update) save(tmp string) error {
	var b strings.Builder
	for _, p := range u.remove {
		b.WriteString("remove " + strconv.Quote(p) + "\n")
	}
	for _, m := range u.moves {
		b.WriteString("move " + strconv.Quote(m.staged) + " " + strconv.Quote(m.path) + "\n")
	}
	b.WriteString("end\n")
	f, err := os.Create(filepath.Join(tmp, journalName))
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	// On disk before the first rename, so that a crash of the machine,
	// not only of lanmu, leaves a journal to finish from.
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadUpdate reads the journal of a staging folder; ok is false when there
// is none, or it was cut short, so the update never started.
func loadUpdate(tmp string) (u update, ok bool, err error) {
	f, err := os.Open(filepath.Join(tmp, journalName))
	if errors.Is(err, fs.ErrNotExist) {
		return u, false, nil
	}
	if err != nil {
		return u, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "end" {
			return u, true, nil
		}
		verb, rest, _ := strings.Cut(line, " ")
		first, rest, err := unquoteField(rest)
		switch {
		case err != nil:
		case verb == "remove" && rest == "":
			u.remove = append(u.remove, first)
			continue
		case verb == "move":
			var second string
			if second, rest, err = unquoteField(rest); err == nil && rest == "" {
				u.moves = append(u.moves, move{first, second})
				continue
			}
		}
		return u, false, fmt.Errorf("%s: line %q is not an update", filepath.Join(tmp, journalName), line)
	}
	return u, false, sc.Err()
}

// unquoteField reads one quoted field from the start of s, and the rest
// after the space that follows it.
func unquoteField(s string) (field, rest string, err error) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", err
	}
	field, err = strconv.Unquote(q)
	rest = strings.TrimPrefix(s[len(q):], " ")
	return field, rest, err
}

// apply carries out the update on dest from the staging folder tmp. It may
// run again on a destination it was stopped in: a file already moved is no
// longer staged and is skipped, one already removed is gone.
func (u update) apply(dest, tmp string, mkdir func(string) error) error {
	var emptied []string
	for _, p := range u.remove {
		full, err := inside(dest, p)
		if err != nil {
			return err
		}
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			// A folder where lanmu once wrote a file is someone else's.
			if info, serr := os.Lstat(full); serr == nil && info.IsDir() {
				continue
			}
			return messages.Errorf("cannot remove %s: %s", full, reason(err))
		}
		emptied = append(emptied, filepath.Dir(full))
	}
	for _, m := range u.moves {
		full, err := inside(dest, m.path)
		if err != nil {
			return err
		}
		from := filepath.Join(tmp, m.staged)
		if _, err := os.Lstat(from); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := mkdir(filepath.Dir(full)); err != nil {
			if file := fileInTheWay(filepath.Dir(full)); file != "" {
				return messages.Errorf("cannot write %s: %s is a file, not a folder", full, file)
			}
			return messages.Errorf("cannot write %s: %s", full, reason(err))
		}
		if err := replace(from, full); err != nil {
			return messages.Errorf("cannot write %s: %s", full, reason(err))
		}
	}
	removeEmpty(dest, emptied)
	return nil
}

// inside maps a site path read from a journal into dest, refusing one that
// would leave it: the journal is a file anyone who can write beside dest
// could have written.
func inside(dest, p string) (string, error) {
	if !cleanSitePath(p) {
		return "", fmt.Errorf("refusing to update %q: not a clean path inside %s", p, dest)
	}
	return filepath.Join(dest, filepath.FromSlash(p)), nil
}

// replace renames from over to. An empty folder in the way, left where an
// earlier build wrote pages below a path that is now a file, is removed.
func replace(from, to string) error {
	err := os.Rename(from, to)
	if err == nil {
		return nil
	}
	if info, serr := os.Lstat(to); serr == nil && info.IsDir() && os.Remove(to) == nil {
		return os.Rename(from, to)
	}
	return err
}

// Recover deals with what builds into dest left beside it when they were
// stopped (killed, or the machine went down): a build stopped while it
// updated dest is finished, so that dest holds that build's site whole; the
// staging folders of builds stopped before are removed. The staging folder
// of a build still running is locked by it, and left alone. Begin calls it.
func Recover(dest string) error {
	dest = filepath.Clean(dest)
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), stagingPrefix(dest)+"*"))
	for _, tmp := range left {
		info, err := os.Lstat(tmp)
		if err != nil || !info.IsDir() {
			continue
		}
		held, err := lockStaging(tmp)
		if err != nil {
			continue // live, or locks are not to be had here: leave it
		}
		err = finish(dest, tmp)
		if err == nil {
			err = os.RemoveAll(tmp)
		}
		held.Close()
		if err != nil {
			return messages.Errorf("an earlier build of %s was stopped while it updated it, and it cannot be finished: %s", dest, reason(err))
		}
	}
	return nil
}

// finish completes the update a stopped build journalled in tmp, if it did.
func finish(dest, tmp string) error {
	u, ok, err := loadUpdate(tmp)
	if err != nil || !ok {
		return err
	}
	return u.apply(dest, tmp, func(dir string) error { return os.MkdirAll(dir, 0o755) })
}

// stagingPrefix is how the name of a staging folder of dest begins.
func stagingPrefix(dest string) string { return "." + filepath.Base(dest) + ".lanmu-" }
