package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"lanmu/generator/config"
	"lanmu/generator/diag"
	"lanmu/generator/insite"
)

// A Loader loads one site again and again, as a live preview does after
// every save. It remembers the files under content/ and what parsing each
// page file gave, so that a Load told which paths changed reads and parses
// those files only; the rest of the work (sections, URLs, publishing,
// kinds, taxonomies) is done afresh from the remembered parses, which is
// what keeps its result equal to a fresh Load's.
//
// Page files reached through a symbolic link are read on every Load: the
// file they point at may be outside content/, where changes go unreported.
//
// A Loader is for one goroutine at a time. The Sites it returns are its
// callers' own: a later Load never changes an earlier Site.
type Loader struct {
	siteDir string
	opts    Options
	// root is content/ as the loader reads it; absRoot and realRoot are
	// content/ as changed paths are compared with it: a watcher may give
	// paths through a link to the site folder, or with the link resolved.
	root, absRoot, realRoot string

	// scanned is false until a first walk of content/ has been done and
	// whenever the remembered files can no longer be trusted.
	scanned bool
	// files are the content-relative paths of the files a walk keeps
	// (symbolic links aside), in the order filepath.WalkDir visits them.
	files []string
	// links are the content-relative paths of the symbolic links found,
	// followed or not; they are checked again on every Load, because what
	// they point at can change without the link itself changing.
	links []string
	// parsed holds what parsing each page file gave, by content-relative
	// path.
	parsed map[string]parsed
	// parses counts the page files read and parsed, for tests to check that
	// an edit costs what it should.
	parses int
	// loc is the time zone the remembered parses read dates in.
	loc *time.Location
	// pageLimit is the largest page file read, in bytes (config.Build).
	pageLimit int64
	// until is the first moment after the last Load's Now at which a
	// remembered page's publish or expiry date would publish it or take it
	// down; zero when none would.
	until time.Time
}

// parsed is what parse made of one page file: the page before assembly
// (nil when its front matter could not be read) and the problems found.
type parsed struct {
	page     *Page
	problems []*diag.Error
	// unread is true when the file could not be read at all: reading it
	// again may work without the file being changed, so it is not kept.
	unread bool
}

// NewLoader returns a loader for the site in siteDir. opts hold for every
// Load it does.
func NewLoader(siteDir string, opts Options) *Loader {
	root := filepath.Join(siteDir, Dir)
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = root // only changed paths compare with it: they then rescan
	}
	real := abs
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		real = filepath.Join(dir, Dir)
	}
	return &Loader{siteDir: siteDir, opts: opts, root: root, absRoot: abs, realRoot: real, parsed: map[string]parsed{}}
}

// SetOptions changes what the next Loads publish: a live session moves Now
// on, and lanmu.toml may turn drafts on. Nothing is read again for it, as
// the options decide only what is published, not what a file says.
func (l *Loader) SetOptions(opts Options) { l.opts = opts }

// Load returns the site as it is on disk now. changed lists the paths,
// absolute or relative to the site folder, that were written, created,
// removed or renamed since the previous Load; a folder among them stands
// for everything under it. Paths outside content/ are ignored. A nil
// changed means the changes are not known: every file is found and read
// again, as on the first Load.
//
// The result and its problems are those Load (the function) gives for
// the same files.
func (l *Loader) Load(cfg *config.Config, changed []string) (*Site, error) {
	var problems diag.List
	if err := l.refresh(changed, &problems); err != nil {
		l.scanned = false
		return nil, err
	}
	if !sameZone(l.loc, cfg.Location) || l.pageLimit != cfg.Build.PageLimit {
		clear(l.parsed)
	}
	l.loc, l.pageLimit = cfg.Location, cfg.Build.PageLimit
	t := l.tree(&problems)
	pages, unreadable := l.parse(t.pages, &problems)
	l.until = publishingChanges(pages, l.opts)
	s := &Site{
		Config:     cfg,
		Files:      map[string]string{},
		byFile:     make(map[string]*Page, len(pages)),
		byPath:     make(map[string]*Page, len(pages)),
		hidden:     map[string]string{},
		unreadable: unreadable,
	}
	s.assemble(pages, t, l.opts, &problems)
	s.readKinds(&problems)
	s.buildTaxonomies(&problems)
	s.assignShortAddresses()
	return s, problems.Err()
}

// publishingChanges returns the first moment after opts.Now at which one of
// pages would be published or taken down by its dates alone, or zero.
func publishingChanges(pages []*Page, opts Options) time.Time {
	var first time.Time
	consider := func(t time.Time) {
		if t.After(opts.Now) && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	for _, p := range pages {
		if !opts.Future {
			consider(p.PublishDate)
		}
		if !opts.Expired {
			consider(p.ExpiryDate)
		}
	}
	return first
}

// Rewritten handles a change that only rewrote the text of page files
// the loader has read, below a front matter left byte for byte as it was,
// with the dates still publishing the same pages at now. It returns the
// pages as parsed now, Body and BodyLine being all that differs from the
// last Load's, and remembers them as a Load would; a live session then
// converts those texts again and keeps the rest of its site. Anything else
// (a file added or removed, a front matter edited, a page whose text
// became empty or stopped being so, which the checks of cards look at, a
// bundle's file, a path through a link) returns false and changes nothing:
// Load is then needed.
func (l *Loader) Rewritten(changed []string, now time.Time) ([]*Page, bool) {
	if !l.scanned || len(changed) == 0 || !l.until.IsZero() && !now.Before(l.until) {
		return nil, false
	}
	rels := map[string]bool{}
	for _, c := range changed {
		rel, whole := l.contentRel(c)
		if whole || rel == "" {
			return nil, false
		}
		rels[rel] = true
	}
	fresh := map[string]parsed{}
	var pages []*Page
	for _, rel := range slices.Sorted(maps.Keys(rels)) {
		old, ok := l.parsed[rel]
		if !ok || old.page == nil || len(old.problems) > 0 || slices.Contains(l.links, rel) {
			return nil, false
		}
		if info, err := os.Lstat(filepath.Join(l.root, filepath.FromSlash(rel))); err != nil || !info.Mode().IsRegular() {
			return nil, false
		}
		r := l.parseFile(Dir + "/" + rel)
		p := r.page
		if r.unread || p == nil || len(r.problems) > 0 || p.FrontHash != old.page.FrontHash || p.BodyLine != old.page.BodyLine ||
			p.blank != old.page.blank {
			return nil, false
		}
		fresh[rel] = r
		pages = append(pages, p)
	}
	l.parses += len(fresh)
	maps.Copy(l.parsed, fresh)
	return pages, true
}

// isBlank reports whether a page's text is only white space.
func isBlank(body []byte) bool { return len(bytes.TrimSpace(body)) == 0 }

// sameZone reports whether dates read in a and b are the same instants.
// A reloaded config loads its zone anew, so pointers alone would make
// every config edit read every page again.
func sameZone(a, b *time.Location) bool {
	return a == b || a != nil && b != nil && a.String() == b.String() && reflect.DeepEqual(a, b)
}

// refresh brings the remembered files up to date: a full walk when the
// changes are unknown, else a walk of each changed path only.
func (l *Loader) refresh(changed []string, problems *diag.List) error {
	if changed == nil || !l.scanned {
		return l.rescan(problems)
	}
	// A content/ that is missing or a link has no files to remember: walk
	// it every time, which costs one stat and says the same again.
	if info, err := os.Lstat(l.root); err != nil || !info.IsDir() {
		return l.rescan(problems)
	}
	for _, c := range changed {
		rel, whole := l.contentRel(c)
		if whole {
			return l.rescan(problems)
		}
		if rel == "" {
			continue
		}
		if err := l.patch(rel); err != nil {
			return err
		}
	}
	return nil
}

// contentRel returns the content-relative, slash-separated form of a
// changed path, "" when it lies outside content/, and whole when it is
// content/ or a folder holding it.
func (l *Loader) contentRel(p string) (rel string, whole bool) {
	if !filepath.IsAbs(p) {
		p = filepath.Join(l.siteDir, p)
	}
	p, err := filepath.Abs(p)
	if err != nil {
		return "", true
	}
	for i, q := range []string{p, ""} {
		if i == 1 {
			// Outside content/ as written: perhaps inside it through a
			// link, which costs a few system calls to find out.
			q = resolved(p)
		}
		for _, root := range []string{l.absRoot, l.realRoot} {
			if r, ok := within(root, q); ok {
				if r == "." {
					return "", true
				}
				return filepath.ToSlash(r), false
			}
			if _, ok := within(q, root); ok {
				return "", true
			}
		}
	}
	return "", false
}

// resolved returns the absolute path p with the links in its folders
// resolved, as far as they still exist: p may name a file just removed.
func resolved(p string) string {
	rest := ""
	for dir := p; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest)
		}
		if dir == filepath.Dir(dir) {
			return p
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// within returns the path of p relative to dir, and whether p is dir or
// lies under it.
func within(dir, p string) (string, bool) {
	r, err := filepath.Rel(dir, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return r, true
}

// rescan forgets everything and walks all of content/.
func (l *Loader) rescan(problems *diag.List) error {
	l.files, l.links = nil, nil
	clear(l.parsed)
	l.scanned = false
	root := l.root
	if info, err := os.Lstat(root); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not enter a root that is a link: say why the site
		// has no pages rather than build an empty one.
		if _, err := insite.Resolve(l.siteDir, root); err != nil {
			problems.Addf(Dir, 0, 0, "%v", err)
		}
		l.scanned = true
		return nil
	}
	files, links, err := l.walk(".")
	if err != nil {
		return err
	}
	l.files, l.links, l.scanned = files, links, true
	return nil
}

// walk lists the files and links under the content-relative folder dir,
// skipping ignored names, in WalkDir's order.
func (l *Loader) walk(dir string) (files, links []string, err error) {
	start := filepath.Join(l.root, filepath.FromSlash(dir))
	err = filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == start {
				return fs.SkipAll
			}
			return err
		}
		if p == start {
			return nil
		}
		rel, _ := filepath.Rel(l.root, p)
		rel = filepath.ToSlash(rel)
		if Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			links = append(links, rel)
		case !d.IsDir():
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", Dir, err)
	}
	return files, links, nil
}

// patch updates the remembered files for one changed content-relative
// path: what was at or under it is forgotten, and what is there now is
// walked.
func (l *Loader) patch(rel string) error {
	// A path inside an ignored folder, or inside what is no longer a
	// folder, is not walked; the highest such folder is what changed.
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		info, err := os.Lstat(filepath.Join(l.root, filepath.FromSlash(dir)))
		if Ignored(path.Base(dir)) || err != nil || !info.IsDir() {
			rel = dir
		}
	}
	// Every remembered parse is of a remembered file: forgetting the files
	// names the parses to forget.
	var gone []string
	l.files, gone = forget(l.files, rel)
	for _, r := range gone {
		delete(l.parsed, r)
	}
	l.links, _ = forget(l.links, rel)
	if Ignored(path.Base(rel)) {
		return nil
	}
	info, err := os.Lstat(filepath.Join(l.root, filepath.FromSlash(rel)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("reading %s: %w", Dir, err)
	case info.Mode()&fs.ModeSymlink != 0:
		l.links = insert(l.links, []string{rel})
	case !info.IsDir():
		l.files = insert(l.files, []string{rel})
	default:
		files, links, err := l.walk(rel)
		if err != nil {
			return err
		}
		l.files = insert(l.files, files)
		l.links = insert(l.links, links)
	}
	return nil
}

// walkCompare orders content-relative paths as filepath.WalkDir visits
// them: name by name, so that "a/x" comes before "a-b" ('/' sorts after
// '-' as a byte, but the folder "a" comes before the name "a-b").
func walkCompare(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if ca == '/' {
			return -1
		}
		if cb == '/' {
			return 1
		}
		if ca < cb {
			return -1
		}
		return 1
	}
	return len(a) - len(b)
}

// span returns the range of sorted that rel and everything under it take.
func span(sorted []string, rel string) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(sorted, rel, walkCompare)
	hi = lo
	for hi < len(sorted) && (sorted[hi] == rel || strings.HasPrefix(sorted[hi], rel+"/")) {
		hi++
	}
	return lo, hi
}

// forget removes rel and everything under it from a sorted list, and
// returns what it removed.
func forget(sorted []string, rel string) (kept, gone []string) {
	lo, hi := span(sorted, rel)
	gone = slices.Clone(sorted[lo:hi])
	return slices.Delete(sorted, lo, hi), gone
}

// insert adds paths, sorted and all under one folder that sorted has
// nothing under, to a sorted list.
func insert(sorted, paths []string) []string {
	if len(paths) == 0 {
		return sorted
	}
	at, _ := slices.BinarySearchFunc(sorted, paths[0], walkCompare)
	return slices.Insert(sorted, at, paths...)
}

// merge merges two lists sorted in walk order.
func merge(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if walkCompare(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// badFileName says why a file of content/ cannot keep its name on the
// web, or "": its name becomes part of a URL and of a file in public/.
func badFileName(rel string) string {
	switch {
	case !utf8.ValidString(rel):
		return "the file name is not UTF-8 (it was saved in another encoding, such as GBK)"
	case strings.Contains(rel, "\\"):
		return "the file name contains \\, which Windows and web servers read as a folder separator"
	case strings.ContainsFunc(rel, unicode.IsControl):
		return "the file name contains a control character"
	}
	return ""
}

// tree sorts the remembered files into pages, bundles and other files,
// with each link that may be followed in its place and each other link
// reported.
func (l *Loader) tree(problems *diag.List) *tree {
	all := l.files
	if len(l.links) > 0 {
		var followed []string
		for _, rel := range l.links {
			if _, err := insite.Resolve(l.siteDir, filepath.Join(l.root, filepath.FromSlash(rel))); err != nil {
				problems.Addf(Dir+"/"+rel, 0, 0, "%v", err)
				continue
			}
			followed = append(followed, rel)
		}
		all = merge(l.files, followed)
	}
	t := &tree{bundles: map[string]bool{}}
	named := all[:0:0]
	for _, rel := range all {
		if why := badFileName(rel); why != "" {
			problems.Addf(Dir+"/"+strings.ToValidUTF8(rel, "\uFFFD"), 0, 0, "%s: rename the file", why)
			continue
		}
		named = append(named, rel)
	}
	all = named
	for _, rel := range all {
		if path.Base(rel) == "index.md" {
			t.bundles[path.Dir(rel)] = true
		}
	}
	for _, rel := range all {
		if strings.HasSuffix(rel, ".md") && (path.Base(rel) == "index.md" || t.bundleOf(rel) == "") {
			t.pages = append(t.pages, rel)
		} else {
			t.files = append(t.files, rel)
		}
	}
	return t
}

// parse returns a fresh copy of the parsed page of each page file,
// parsing those not remembered, and reports what parsing found. Files that
// are no longer pages are forgotten, and pages reached through a link are
// never remembered: the file behind the link may change unseen.
func (l *Loader) parse(files []string, problems *diag.List) (pages []*Page, unreadable map[string]bool) {
	results := make([]parsed, len(files))
	var isLink map[string]bool
	if len(l.links) > 0 {
		isLink = make(map[string]bool, len(l.links))
		for _, rel := range l.links {
			isLink[rel] = true
		}
	}
	var todo []int
	for i, rel := range files {
		if r, ok := l.parsed[rel]; ok && !isLink[rel] {
			results[i] = r
			continue
		}
		todo = append(todo, i)
	}
	l.parses += len(todo)
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = l.parseFile(Dir + "/" + files[i])
			}
		}()
	}
	for _, i := range todo {
		work <- i
	}
	close(work)
	wg.Wait()

	remembered := 0
	for _, i := range todo {
		if r := results[i]; !r.unread && !isLink[files[i]] {
			l.parsed[files[i]] = r
		}
	}
	// One allocation for all the copies, not one per page.
	copies := make([]Page, 0, len(files))
	pages = make([]*Page, 0, len(files))
	unreadable = map[string]bool{}
	for i, rel := range files {
		r := results[i]
		for _, e := range r.problems {
			problems.Add(e)
		}
		if !r.unread && !isLink[rel] {
			remembered++
		}
		if r.page == nil {
			unreadable[Dir+"/"+rel] = true
			continue
		}
		// Assembly sets the fields parse leaves empty and appends to the
		// slices it leaves nil: a shallow copy keeps the remembered page
		// as parse made it.
		copies = append(copies, *r.page)
		pages = append(pages, &copies[len(copies)-1])
	}
	// A file that stopped being a page (its folder became a bundle) keeps
	// a parse that is still right, but one that is gone wastes memory.
	if len(l.parsed) > remembered {
		current := make(map[string]bool, len(files))
		for _, rel := range files {
			current[rel] = true
		}
		maps.DeleteFunc(l.parsed, func(rel string, _ parsed) bool { return !current[rel] })
	}
	return pages, unreadable
}

// errTooLarge is the error of a page file over the size limit.
var errTooLarge = errors.New("the page is too large")

// readLimited reads a page file, refusing one larger than limit bytes (no
// limit when 0) without reading it.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if limit > 0 {
		// Read one byte past the limit, so that a file growing as it is
		// read is caught too.
		data, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err == nil && int64(len(data)) > limit {
			return nil, fmt.Errorf("%w: it is larger than %s, the limit of [build] maxPageSize in lanmu.toml; split it into pages, or raise the limit", errTooLarge, sizeText(limit))
		}
		return data, err
	}
	return io.ReadAll(f)
}

// sizeText writes a byte count as the user would: "4 MB", "512 KB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// parseFile reads and parses one page file.
func (l *Loader) parseFile(file string) parsed {
	var problems diag.List
	src, err := readLimited(filepath.Join(l.siteDir, filepath.FromSlash(file)), l.pageLimit)
	if err != nil {
		line := 0
		if errors.Is(err, errTooLarge) {
			line = 1
		}
		problems.Addf(file, line, line, "%v", err)
		return parsed{problems: problems.Problems(), unread: true}
	}
	p := parse(file, src, l.loc, l.opts.Bodies, &problems)
	return parsed{page: p, problems: problems.Problems()}
}
