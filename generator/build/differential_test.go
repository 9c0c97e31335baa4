package build

// The differential test of the live preview: a Session is driven through a
// long random sequence of edits to a site on disk, told after each edit the
// paths a file watcher would report, and its whole site is compared byte for
// byte with a fresh Build of the same sources. The fresh build is the oracle:
// it shares no state with the session, so whatever the session reuses
// wrongly shows up as a difference.

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"lanmu/generator/diag"
	"lanmu/generator/output"
	"lanmu/internal/testsite"
)

var (
	diffSeedFlag  = flag.Int64("difftest.seed", 0, "seed of the differential test's edits (else $LANMU_DIFFTEST_SEED, else 1)")
	diffEditsFlag = flag.Int("difftest.edits", 0, "edits per site in the differential test (else a number for the mode: full, -short or -race)")
	// Past a few failing edits, more of the same tell nothing new; a run
	// that looks for every kind of failure raises this.
	diffMaxFailFlag = flag.Int("difftest.maxfail", 8, "failing edits after which the differential test stops")
	diffLogFlag     = flag.Bool("difftest.log", false, "log every edit of the differential test and the paths it touched")
)

// diffBaseURL is what lanmu serve passes as the base URL: its own address,
// under a sub-path so that every link's base path is exercised.
const diffBaseURL = "http://localhost:1313/xxjy/"

// diffNow is the moment both pipelines judge drafts and future pages at, so
// that a replayed seed gives the same sites whatever the day.
var diffNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// TestDifferentialExample edits a copy of the example column. Its session
// defers the search index on odd seeds, the other site's on even ones, so
// that every seed drives both ways of updating.
func TestDifferentialExample(t *testing.T) {
	onTmpfs(t)
	dir := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	runDifferential(t, dir, diffEdits(150, 40, 25), diffSeed(t)%2 != 0)
}

// TestDifferentialCustomLayouts edits a small site whose own templates read
// other pages on every page: the footer lists .Site.RegularPages, a
// partialCached tag index ranges over .Site.Tags (the site view has no
// .Site.Taxonomies), the home page shows the newest page's .Content, and
// pages show their section's .Pages and their .Prev and .Next.
func TestDifferentialCustomLayouts(t *testing.T) {
	onTmpfs(t)
	dir := copyTree(t, filepath.Join("testdata", "difftest"))
	runDifferential(t, dir, diffEdits(150, 20, 15), diffSeed(t)%2 == 0)
}

// onTmpfs puts the test's temporary folders in /dev/shm when the machine
// has it. The fresh build writes the whole site after every edit, and on a
// virtual disk those writes cost half the test's time: the TestDifferential
// run took 66 s with its folders on disk (52 s of it in the kernel) and
// 32 s on tmpfs, on the same 2-core machine.
func onTmpfs(t *testing.T) {
	probe, err := os.MkdirTemp("/dev/shm", "lanmu-probe-")
	if err != nil {
		return // no tmpfs here: the disk is slower, not wrong
	}
	os.Remove(probe)
	t.Setenv("TMPDIR", "/dev/shm")
}

// frozenPreview is a live preview that never builds again after its first
// build: as stale as a preview can be.
type frozenPreview struct{ *Session }

func (f frozenPreview) Update([]string) (*Result, error) { return f.Last(), nil }

// TestDifferentialCatchesAStalePreview shows that the differential test can
// fail: a preview that ignores every edit must be caught, and each failure
// must name the seed and the edit, to be replayed.
func TestDifferentialCatchesAStalePreview(t *testing.T) {
	dir := copyTree(t, filepath.Join("testdata", "difftest"))
	const n = 6
	failures := differential(t, dir, n, false, func(opts Options) preview { return frozenPreview{NewSession(opts)} })
	// Some edits change nothing a page shows (a string no template uses).
	if len(failures) < min(n/2, *diffMaxFailFlag) {
		t.Fatalf("a preview that never builds again failed %d of %d edits:\n%s", len(failures), n, strings.Join(failures, "\n"))
	}
	for _, f := range failures {
		if strings.Contains(f, ": stopping after ") {
			continue
		}
		if !regexp.MustCompile(`^seed -?\d+, edit \d+ of \d+ \(.+\): `).MatchString(f) || !strings.Contains(f, "-difftest.seed") {
			t.Errorf("a failure does not say how to replay it:\n%s", f)
		}
	}
}

// forgetfulPreview defers its slow outputs and then loses them: what a
// deferring preview that never finishes its search index serves.
type forgetfulPreview struct{ *Session }

func (f forgetfulPreview) Update(changed []string) (*Result, error) {
	res, err := f.Session.Update(changed)
	if err != nil {
		return nil, err
	}
	// Copied once its later outputs are made: the build writes to the
	// result until then.
	res.Wait()
	lost := *res
	lost.later = nil
	return &lost, nil
}

// TestDifferentialCatchesLostDeferredOutputs shows that the comparison
// counts the outputs a deferring session makes later: a session that
// never makes them must fail every edit it builds, naming them.
func TestDifferentialCatchesLostDeferredOutputs(t *testing.T) {
	dir := copyTree(t, filepath.Join("testdata", "difftest"))
	// What it loses, found before the edits, which may end on a broken
	// site.
	s := NewSession(Options{Source: dir, BaseURL: diffBaseURL, Now: diffNow})
	s.Defer = true
	res, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	lost := slices.Sorted(maps.Keys(res.Later()))
	const n = 4
	failures := differential(t, dir, n, true, func(opts Options) preview {
		s := NewSession(opts)
		s.Defer = true
		return forgetfulPreview{s}
	})
	// An edit that breaks the site is refused by both, rightly: one may be
	// among them.
	if len(failures) < min(n-1, *diffMaxFailFlag) {
		t.Fatalf("a preview that loses %v failed %d of %d edits:\n%s", lost, len(failures), n, strings.Join(failures, "\n"))
	}
	for _, f := range failures {
		if strings.Contains(f, ": stopping after ") {
			continue
		}
		if !strings.Contains(f, "outputs only the fresh build has, first: "+strings.Join(lost[:min(5, len(lost))], " ")) {
			t.Errorf("a failure does not name the lost outputs %v:\n%s", lost, f)
		}
	}
}

// diffSeed is the seed of this run: the flag, else the environment, else 1.
func diffSeed(t *testing.T) int64 {
	if *diffSeedFlag != 0 {
		return *diffSeedFlag
	}
	if env := os.Getenv("LANMU_DIFFTEST_SEED"); env != "" {
		n, err := strconv.ParseInt(env, 10, 64)
		if err != nil {
			t.Fatalf("LANMU_DIFFTEST_SEED=%q is not a number", env)
		}
		return n
	}
	return 1
}

// diffEdits is the number of edits for this mode: the race detector slows
// every build tenfold, and -short is for a quick look.
func diffEdits(full, short, race int) int {
	switch {
	case *diffEditsFlag > 0:
		return *diffEditsFlag
	case raceDetector:
		return race
	case testing.Short():
		return short
	}
	return full
}

// copyTree copies a fixture folder into a new temporary folder, so that the
// test may edit it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// diffEdit is one edit applied to the site on disk.
type diffEdit struct {
	kind string // the editor's name, for the tally
	desc string
	// touched are the absolute paths a watcher reports for the edit: the
	// files written, created and removed, both paths of a rename, and a
	// removed or created folder itself.
	touched []string
	// fix, when set, marks an edit that makes the site invalid; it undoes
	// the edit, and is the next edit applied.
	fix func() diffEdit
}

// preview is what the differential test drives: a Session, or a stand-in
// that shows the test catches a stale preview.
type preview interface {
	Build() (*Result, error)
	Update(changed []string) (*Result, error)
	Last() *Result
}

// runDifferential applies n random edits to the site at dir and compares
// a live session with a fresh build after each; deferred sets the
// session's Defer, as lanmu serve does.
func runDifferential(t *testing.T, dir string, n int, deferred bool) {
	start := func(opts Options) preview {
		s := NewSession(opts)
		s.Defer = deferred
		return s
	}
	for _, f := range differential(t, dir, n, deferred, start) {
		t.Error(f)
	}
}

// differential applies n random edits to the site at dir, and returns how
// the preview that start makes differed from fresh builds, edit by edit.
// deferred says that the preview returns before its slow outputs are made:
// the test then checks that it does leave some for later. It stops at the
// first failure of the test itself (an edit that does not do what it was
// meant to), and after -difftest.maxfail failing edits.
func differential(t *testing.T, dir string, n int, deferred bool, start func(Options) preview) []string {
	seed := diffSeed(t)
	began := time.Now()
	opts := Options{Source: dir, BaseURL: diffBaseURL, Now: diffNow}
	replay := fmt.Sprintf("replay: go test ./generator/build/ -run '^%s$' -difftest.seed %d", t.Name(), seed)
	d := &differ{t: t, dir: dir, rng: rand.New(rand.NewSource(seed))}
	d.repoRoot = exampleSite
	d.ownLayouts = map[string]bool{}
	for _, name := range d.templates() {
		d.ownLayouts[name] = d.exists("layouts/" + name)
	}

	s := start(opts)
	good, err := s.Build()
	if err != nil {
		t.Fatalf("seed %d: the first build of the session failed: %v", seed, err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	oracle := func() (*Report, map[string][]byte, error) {
		report, err := Build(Options{Source: dir, Dest: dest, BaseURL: diffBaseURL, Now: diffNow})
		if err != nil {
			return nil, nil, err
		}
		return report, readSite(t, dest), nil
	}
	report, built, err := oracle()
	if err != nil {
		t.Fatalf("seed %d: the first fresh build failed: %v", seed, err)
	}
	if deferred && len(good.Later()) == 0 {
		t.Fatalf("seed %d: the session was told to defer its slow outputs, but its first build left none for later", seed)
	}
	if msg := diffSites(good, built, report); msg != "" {
		return []string{fmt.Sprintf("seed %d, before any edit: the session differs from a fresh build:\n%s\n%s", seed, msg, replay)}
	}
	d.last = good

	var failures []string
	// tally counts the edits of each kind, to show that a run covers them.
	tally := map[string]int{}
	// warned counts the edits after which the site had warnings to
	// compare, to show that a run covers them.
	warned := 0
	// rewritten counts the updates the session made by rewriting pages'
	// text in its last good site rather than loading it (see rewrite.go).
	rewritten := 0
	var fix func() diffEdit
	for i := 1; i <= n; i++ {
		var e diffEdit
		if fix != nil {
			e, fix = fix(), nil
			e.kind = "fix"
		} else {
			e = d.randomEdit()
		}
		tally[e.kind]++
		where := fmt.Sprintf("seed %d, edit %d of %d (%s)", seed, i, n, e.desc)
		if *diffLogFlag {
			t.Logf("edit %d: %s %v", i, e.desc, e.touched)
		}
		var kept map[string][]byte
		if e.fix != nil {
			// A copy to tell whether the failed update leaves the last
			// good site exactly as it was, deferred outputs included: the
			// update waits for them and moves them into Files.
			all := good.Complete()
			kept = make(map[string][]byte, len(all))
			for p, data := range all {
				kept[p] = bytes.Clone(data)
			}
		}
		res, serr := s.Update(e.touched)
		if serr == nil && len(res.Stages) > 0 && res.Stages[0].Name == "rewrite" {
			rewritten++
		}
		report, built, berr := oracle()
		if berr == nil && len(report.Warnings) > 0 {
			warned++
		}
		failed := ""
		switch {
		case e.fix != nil:
			fix = e.fix
			switch {
			case berr == nil:
				t.Fatalf("%s: the edit was meant to break the site, but a fresh build succeeded\n%s", where, replay)
			case serr == nil:
				failed = "the session built a site that a fresh build rejects:\n" + berr.Error()
				good = res
			case s.Last() != good:
				failed = "after a failed update the session no longer holds its last good site"
			case !maps.EqualFunc(good.Complete(), kept, bytes.Equal):
				failed = "a failed update changed the files of the last good site"
			default:
				failed = diffProblems(serr, berr)
			}
		case berr != nil:
			// The generators keep the site valid: this is a bug of the test.
			t.Fatalf("%s: the edit made the site invalid:\n%v\n%s", where, berr, replay)
		case serr != nil:
			failed = "the session failed where a fresh build succeeded:\n" + serr.Error()
		default:
			failed = diffSites(res, built, report)
			good = res
		}
		if failed == "" {
			d.last = good
			continue
		}
		failures = append(failures, fmt.Sprintf("%s: %s\n%s", where, failed, replay))
		if len(failures) >= *diffMaxFailFlag {
			return append(failures, fmt.Sprintf("seed %d: stopping after %d failing edits of %d", seed, len(failures), i))
		}
		// Judge the next edits on their own: a session that went stale
		// would fail every comparison after, whatever the edit.
		if e.fix == nil {
			s = start(opts)
			if good, err = s.Build(); err != nil {
				t.Fatalf("%s: a new session fails where a fresh build succeeded: %v", where, err)
			}
			d.last = good
		}
	}
	var kinds []string
	for _, e := range editKinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", e.name, tally[e.name]))
	}
	t.Logf("seed %d (deferred %v): %d edits, %d failing, %d with warnings, %d rewrites of text in place, in %v\nedits by kind: %s, fix %d",
		seed, deferred, n, len(failures), warned, rewritten, time.Since(began).Round(time.Millisecond), strings.Join(kinds, ", "), tally["fix"])
	if tally["editBody"] >= 10 && rewritten == 0 {
		failures = append(failures, fmt.Sprintf("seed %d: of %d edits of pages' text, none was made by rewriting the text in place", seed, tally["editBody"]))
	}
	return failures
}

// readSite reads a built destination folder by site path, leaving out the
// manifest, which only a build on disk writes.
func readSite(t *testing.T, dest string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		site := "/" + filepath.ToSlash(rel)
		if site == "/"+output.ManifestName {
			return nil
		}
		data, err := os.ReadFile(p)
		files[site] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// diffSites compares a session's build with a fresh build's files and
// warnings, and describes the first differences; "" when they agree. The
// session's outputs are those it returned with and those it made later,
// and the two sets must not overlap.
func diffSites(res *Result, built map[string][]byte, report *Report) string {
	var b strings.Builder
	list := func(what string, paths []string) {
		if len(paths) == 0 {
			return
		}
		slices.Sort(paths)
		fmt.Fprintf(&b, "%d %s, first: %s\n", len(paths), what, strings.Join(paths[:min(5, len(paths))], " "))
	}
	// Read before Complete, which waits for the later outputs.
	later := slices.Collect(maps.Keys(res.Later()))
	list("outputs the session both returned with and made later", slices.DeleteFunc(slices.Clone(later), func(p string) bool { _, ok := res.Files[p]; return !ok }))
	var onlySession, onlyBuild, differ []string
	files := res.Complete()
	for p, data := range files {
		b, ok := built[p]
		switch {
		case !ok:
			onlySession = append(onlySession, p)
		case !bytes.Equal(b, data):
			differ = append(differ, p)
		}
	}
	for p := range built {
		if _, ok := files[p]; !ok {
			onlyBuild = append(onlyBuild, p)
		}
	}
	list("outputs only the session has", onlySession)
	list("outputs only the fresh build has", onlyBuild)
	list("outputs differ", differ)
	for _, p := range differ[:min(2, len(differ))] {
		b.WriteString(excerpt(p, files[p], built[p]))
	}
	warned := func(ws []*diag.Error) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.Error())
		}
		slices.Sort(out)
		return out
	}
	if sw, bw := warned(res.Warnings), warned(report.Warnings); !slices.Equal(sw, bw) {
		fmt.Fprintf(&b, "the session warns\n%q\nthe fresh build warns\n%q\n", sw, bw)
	}
	return b.String()
}

// excerpt shows where two versions of an output first differ: the line of
// each around the first differing byte.
func excerpt(p string, session, built []byte) string {
	at := 0
	for at < len(session) && at < len(built) && session[at] == built[at] {
		at++
	}
	line := bytes.Count(session[:at], []byte("\n")) + 1
	around := func(data []byte) string {
		from := bytes.LastIndexByte(data[:min(at, len(data))], '\n') + 1
		from = max(from, at-120)
		to := len(data)
		if nl := bytes.IndexByte(data[min(at, len(data)):], '\n'); nl >= 0 {
			to = min(at, len(data)) + nl
		}
		to = min(to, at+120)
		// Cut at whole characters: the text is mostly Chinese.
		for from > 0 && from < len(data) && !utf8.RuneStart(data[from]) {
			from--
		}
		for to < len(data) && !utf8.RuneStart(data[to]) {
			to++
		}
		return string(data[from:to])
	}
	return fmt.Sprintf("  %s, line %d:\n    session: %s\n    build:   %s\n", p, line, around(session), around(built))
}

// diffProblems compares the problems a failed update and a failed fresh
// build report: the same files and lines, the same messages.
func diffProblems(serr, berr error) string {
	texts := func(err error) []string {
		var out []string
		for _, p := range diag.Of(err) {
			out = append(out, p.Error())
		}
		return out
	}
	st, bt := texts(serr), texts(berr)
	if slices.Equal(st, bt) {
		return ""
	}
	return fmt.Sprintf("the session reports\n  %s\na fresh build reports\n  %s", strings.Join(st, "\n  "), strings.Join(bt, "\n  "))
}

// differ makes the random edits of one run.
type differ struct {
	t        *testing.T
	dir      string
	repoRoot string // for the default theme's templates and a small image
	rng      *rand.Rand
	serial   int     // numbers new names, titles and texts
	last     *Result // the session's last good site, for pages to link to
	// ownLayouts are the templates the site had before the first edit.
	ownLayouts map[string]bool
}

// editor is one kind of edit; it reports false when the site offers nothing
// to apply it to, and another kind is drawn.
type editor struct {
	name   string
	weight int
	apply  func(d *differ) (diffEdit, bool)
}

// editKinds are every kind of edit the test makes, weighted so that page
// edits, which webmasters make most, come most often.
var editKinds = []editor{
	{"retitle", 6, (*differ).retitle},
	{"redate", 4, (*differ).redate},
	{"retag", 4, (*differ).retag},
	{"editBody", 10, (*differ).editBody},
	{"linkByPath", 3, (*differ).linkByPath},
	{"dropLinked", 2, (*differ).dropLinked},
	{"movePage", 3, (*differ).movePage},
	{"renamePage", 3, (*differ).renamePage},
	{"deletePage", 3, (*differ).deletePage},
	{"createPage", 5, (*differ).createPage},
	{"createSection", 1, (*differ).createSection},
	{"deleteSection", 1, (*differ).deleteSection},
	{"changeSpeaker", 3, (*differ).changeSpeaker},
	{"changeEvidence", 3, (*differ).changeEvidence},
	{"createBundle", 2, (*differ).createBundle},
	{"addBundleFile", 2, (*differ).addBundleFile},
	{"removeBundleFile", 2, (*differ).removeBundleFile},
	{"deleteBundle", 1, (*differ).deleteBundle},
	{"editTemplate", 4, (*differ).editTemplate},
	{"dropTemplate", 1, (*differ).dropTemplate},
	{"editI18n", 2, (*differ).editI18n},
	{"editConfig", 3, (*differ).editConfig},
	{"switchTheme", 1, (*differ).switchTheme},
	{"switchLanguage", 1, (*differ).switchLanguage},
	{"toggleBuild", 2, (*differ).toggleBuild},
	{"unpublish", 3, (*differ).unpublish},
	{"republish", 2, (*differ).republish},
	{"editStatic", 3, (*differ).editStatic},
	{"breakFrontMatter", 1, (*differ).breakFrontMatter},
	{"breakLink", 1, (*differ).breakLink},
	{"breakTemplate", 1, (*differ).breakTemplate},
	{"breakConfig", 1, (*differ).breakConfig},
}

// randomEdit draws and applies an edit.
func (d *differ) randomEdit() diffEdit {
	total := 0
	for _, e := range editKinds {
		total += e.weight
	}
	for {
		n := d.rng.Intn(total)
		for _, e := range editKinds {
			if n -= e.weight; n < 0 {
				if edit, ok := e.apply(d); ok {
					edit.kind = e.name
					return edit
				}
				break
			}
		}
	}
}

// next returns a number not used before in this run.
func (d *differ) next() int {
	d.serial++
	return d.serial
}

func (d *differ) abs(rel string) string { return filepath.Join(d.dir, filepath.FromSlash(rel)) }

func (d *differ) exists(rel string) bool {
	_, err := os.Stat(d.abs(rel))
	return err == nil
}

func (d *differ) read(rel string) string {
	data, err := os.ReadFile(d.abs(rel))
	if err != nil {
		d.t.Fatal(err)
	}
	return string(data)
}

// write writes a file, making its folders, and returns its absolute path
// with those of the folders it had to make, as a watcher reports them.
func (d *differ) write(rel, text string) []string {
	var made []string
	for dir := path.Dir(rel); dir != "." && !d.exists(dir); dir = path.Dir(dir) {
		made = append(made, d.abs(dir))
	}
	slices.Reverse(made) // outermost first, as they are made
	if err := os.MkdirAll(filepath.Dir(d.abs(rel)), 0o755); err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(d.abs(rel), []byte(text), 0o644); err != nil {
		d.t.Fatal(err)
	}
	return append(made, d.abs(rel))
}

func (d *differ) remove(rel string) string {
	if err := os.RemoveAll(d.abs(rel)); err != nil {
		d.t.Fatal(err)
	}
	return d.abs(rel)
}

func (d *differ) rename(from, to string) []string {
	if err := os.MkdirAll(filepath.Dir(d.abs(to)), 0o755); err != nil {
		d.t.Fatal(err)
	}
	if err := os.Rename(d.abs(from), d.abs(to)); err != nil {
		d.t.Fatal(err)
	}
	return []string{d.abs(from), d.abs(to)}
}

func pick[T any](d *differ, list []T) T { return list[d.rng.Intn(len(list))] }

// pages lists the Markdown files under content/ (site-relative, slashed)
// that keep returns true for, in a stable order.
func (d *differ) pages(keep func(rel string) bool) []string {
	var out []string
	filepath.WalkDir(d.abs("content"), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(d.dir, p)
		if rel = filepath.ToSlash(rel); keep(rel) {
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// section is the top section of a content file ("news"), "" at the root.
func section(rel string) string {
	parts := strings.Split(rel, "/")
	if len(parts) < 3 {
		return ""
	}
	return parts[1]
}

// isIndex tells a section's own page.
func isIndex(rel string) bool { return path.Base(rel) == "_index.md" }

// isBundle tells a page bundle's index.md.
func isBundle(rel string) bool { return path.Base(rel) == "index.md" }

// unit is what moves with a page: its file, or its bundle's folder.
func unit(rel string) string {
	if isBundle(rel) {
		return path.Dir(rel)
	}
	return rel
}

// stem is the name a page is referred to by: its file or folder name
// without .md, as in links and a class's speaker.
func stem(rel string) string { return strings.TrimSuffix(path.Base(unit(rel)), ".md") }

// typed are the sections whose pages carry fields of their kind: pages do
// not move in or out of them (a class needs a teacher, a standard its
// number), and new pages there get those fields.
var typed = map[string]bool{"classes": true, "teachers": true, "cards": true, "standards": true}

// regular lists the pages that are not a section's own, in sections that
// keep returns true for.
func (d *differ) regular(keep func(sec string) bool) []string {
	return d.pages(func(rel string) bool { return !isIndex(rel) && section(rel) != "" && keep(section(rel)) })
}

func loose(sec string) bool { return !typed[sec] }

func anySection(string) bool { return true }

// sections lists the top-level content folders.
func (d *differ) sections(keep func(sec string) bool) []string {
	entries, _ := os.ReadDir(d.abs("content"))
	var out []string
	for _, e := range entries {
		if e.IsDir() && keep(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// urlLink is a Markdown link by the site path of a page ("/news/a/"): when
// the page goes, the link check warns and the site still builds.
var urlLink = regexp.MustCompile(`\]\(/[^)]*\)`)

// referenced tells whether any other page names the page by its file (a
// relative link, a speaker): moving, deleting or hiding it would break the
// site, which is what the error edits are for. Links by site path do not
// count: the pages they name go, and the warnings must follow.
func (d *differ) referenced(rel string, texts map[string]string) bool {
	name, own := stem(rel), unit(rel)
	for p, text := range texts {
		if p != own && !strings.HasPrefix(p, own+"/") && strings.Contains(urlLink.ReplaceAllString(text, "]()"), name) {
			return true
		}
	}
	return false
}

// texts reads every page, for referenced.
func (d *differ) texts() map[string]string {
	out := map[string]string{}
	for _, p := range d.pages(func(string) bool { return true }) {
		out[p] = d.read(p)
	}
	return out
}

// movable lists the pages that no other page names.
func (d *differ) movable(keep func(sec string) bool) []string {
	texts := d.texts()
	var out []string
	for _, p := range d.regular(keep) {
		if !d.referenced(p, texts) {
			out = append(out, p)
		}
	}
	return out
}

// published lists the files of the regular pages the last good build
// published, which links may name.
func (d *differ) published() []string {
	var out []string
	for _, p := range d.last.Site.Content.RegularPages() {
		if p.File != "" {
			out = append(out, p.File)
		}
	}
	slices.Sort(out)
	return out
}

// sitePath is the site path the last good build wrote a page at
// ("/news/a/"), as a link by site path names it.
func (d *differ) sitePath(rel string) string {
	for _, p := range d.last.Site.Content.RegularPages() {
		if p.File == rel {
			return p.Path
		}
	}
	d.t.Fatalf("%s is not a page of the last good build", rel)
	return ""
}

// frontMatter splits a page into its front matter lines (delimiters
// included) and its body; toml tells +++ from ---.
func frontMatter(text string) (lines []string, body string, toml bool) {
	if !strings.HasPrefix(text, "---") && !strings.HasPrefix(text, "+++") {
		return []string{"---\n", "---\n"}, text, false
	}
	all := strings.SplitAfter(text, "\n")
	delim := strings.TrimSpace(all[0])
	for i := 1; i < len(all); i++ {
		if strings.TrimSpace(all[i]) == delim {
			return all[:i+1], strings.Join(all[i+1:], ""), delim == "+++"
		}
	}
	return nil, text, false
}

// setField sets a top-level front matter key to value, written so that it
// reads the same in YAML and TOML (a quoted string, a [list], a date),
// replacing the key's lines or adding it.
func setField(text, key, value string) string {
	lines, body, toml := frontMatter(text)
	line := key + ": " + value + "\n"
	if toml {
		line = key + " = " + value + "\n"
	}
	if i, end := field(lines, key, toml); i > 0 {
		out := append(append(append([]string(nil), lines[:i]...), line), lines[end:]...)
		return strings.Join(out, "") + body
	}
	out := append(append(append([]string(nil), lines[:len(lines)-1]...), line), lines[len(lines)-1])
	return strings.Join(out, "") + body
}

// removeField removes a top-level front matter key, when the page has it.
func removeField(text, key string) string {
	lines, body, toml := frontMatter(text)
	i, end := field(lines, key, toml)
	if i < 0 {
		return text
	}
	return strings.Join(slices.Delete(slices.Clone(lines), i, end), "") + body
}

// fieldValue is a top-level front matter key's value on its own line,
// unquoted; "" when the page does not have it.
func fieldValue(text, key string) string {
	lines, _, toml := frontMatter(text)
	i, _ := field(lines, key, toml)
	if i < 0 {
		return ""
	}
	v := strings.TrimSpace(strings.TrimPrefix(lines[i], key))
	v = strings.TrimSpace(strings.TrimLeft(v, ":="))
	return strings.Trim(v, `"'`)
}

// field finds a top-level key in front matter lines: the index of its
// line and of the line after its value (a YAML value may go on over
// indented lines); -1 when it is not there.
func field(lines []string, key string, toml bool) (i, end int) {
	for i := 1; i < len(lines)-1; i++ {
		l := lines[i]
		if !strings.HasPrefix(l, key+":") && !strings.HasPrefix(l, key+" =") && !strings.HasPrefix(l, key+"=") {
			continue
		}
		end := i + 1
		for !toml && end < len(lines)-1 && (strings.HasPrefix(lines[end], " ") || strings.HasPrefix(lines[end], "\t") || strings.HasPrefix(lines[end], "- ")) {
			end++
		}
		return i, end
	}
	return -1, -1
}

// frontMatterDate reads a date as the test's pages write them: with a
// zone, or without, in the sites' time zone (China has no summer time).
func frontMatterDate(v string) (time.Time, bool) {
	zone := time.FixedZone("CST", 8*3600)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// hidden tells a page that its front matter keeps off the site unless a
// [build] toggle lets it on: a draft, a page to be published after
// diffNow, an expired page.
func hidden(text string) bool {
	if fieldValue(text, "draft") == "true" {
		return true
	}
	publish := fieldValue(text, "publishDate")
	if publish == "" {
		publish = fieldValue(text, "date")
	}
	if t, ok := frontMatterDate(publish); ok && t.After(diffNow) {
		return true
	}
	t, ok := frontMatterDate(fieldValue(text, "expiryDate"))
	return ok && !t.After(diffNow)
}

// quote writes a string for both YAML and TOML; the test's strings hold no
// quotes or backslashes.
func quote(s string) string { return `"` + s + `"` }

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

var words = []string{"学习", "党章", "党规", "系列讲话", "合格党员", "支部", "专题", "交流", "调研", "服务", "先锋", "初心"}

// phrase is a new title or heading.
func (d *differ) phrase() string {
	return pick(d, words) + pick(d, words) + strconv.Itoa(d.next())
}

// paragraph is a new paragraph of body text.
func (d *differ) paragraph() string {
	return fmt.Sprintf("第%d段新增正文：支部围绕%s和%s开展了讨论，党员们交流了体会。", d.next(), pick(d, words), pick(d, words))
}

// tagPool mixes the tags the example's standards count as evidence with
// others, so that re-tagging changes the standards' status now and then.
var tagPool = []string{"建党95周年", "集中学习", "主题党日", "专题学习", "脱贫攻坚", "党章", "支部建设", "志愿服务", "新标签"}

func (d *differ) tags() []string {
	var out []string
	for range d.rng.Intn(4) {
		if t := pick(d, tagPool); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// date is a moment of 2016: long before now, so that a re-dated page stays
// published, and on either side of the example's as-of day, so that it
// moves in and out of the standards' evidence.
func (d *differ) date() string {
	return fmt.Sprintf("2016-%02d-%02dT%02d:%02d:00+08:00", 1+d.rng.Intn(12), 1+d.rng.Intn(28), d.rng.Intn(24), d.rng.Intn(60))
}

// editPage rewrites one page with change and reports it.
func (d *differ) editPage(rel, desc string, change func(string) string) diffEdit {
	return diffEdit{desc: desc, touched: d.write(rel, change(d.read(rel)))}
}

func (d *differ) retitle() (diffEdit, bool) {
	rel := pick(d, d.pages(func(string) bool { return true }))
	title := d.phrase()
	return d.editPage(rel, fmt.Sprintf("retitle %s %q", rel, title), func(t string) string { return setField(t, "title", quote(title)) }), true
}

func (d *differ) redate() (diffEdit, bool) {
	pages := d.regular(anySection)
	if len(pages) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, pages)
	date := d.date()
	return d.editPage(rel, "re-date "+rel+" "+date, func(t string) string { return setField(t, "date", date) }), true
}

func (d *differ) retag() (diffEdit, bool) {
	pages := d.regular(func(sec string) bool { return sec != "standards" })
	if len(pages) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, pages)
	tags := d.tags()
	return d.editPage(rel, fmt.Sprintf("re-tag %s %v", rel, tags), func(t string) string { return setField(t, "tags", quoteList(tags)) }), true
}

// editBody appends or replaces a paragraph, adds a heading, or adds a link
// to another published page by its file.
func (d *differ) editBody() (diffEdit, bool) {
	rel := pick(d, d.pages(func(string) bool { return true }))
	text := d.read(rel)
	lines, body, _ := frontMatter(text)
	head := strings.Join(lines, "")
	body = strings.TrimRight(body, "\n")
	var desc string
	var also []string
	switch d.rng.Intn(7) {
	case 0:
		desc = "append a paragraph to " + rel
		body += "\n\n" + d.paragraph()
	case 3:
		// Raw HTML, which the conversion leaves out with a warning
		// (or keeps, when [build] lets it).
		desc = "add raw HTML to " + rel
		body += fmt.Sprintf("\n\n<div class=\"note\">原始片段%d</div>", d.next())
	case 4:
		// A link to a place on the page that no heading makes: a
		// warning once the page is rendered.
		desc = "link " + rel + " to a missing anchor"
		body += fmt.Sprintf("\n\n见[下文](#meiyou-%d)。", d.next())
	case 5:
		// Two pages in one save, as an editor's "save all" does.
		other := pick(d, d.pages(func(o string) bool { return o != rel }))
		otherHead, otherBody, _ := frontMatter(d.read(other))
		also = d.write(other, strings.Join(otherHead, "")+"\n"+strings.TrimLeft(strings.TrimRight(otherBody, "\n"), "\n")+"\n\n"+d.paragraph()+"\n")
		desc = "append a paragraph to " + rel + " and to " + other + " at once"
		body += "\n\n" + d.paragraph()
	case 1:
		blocks := strings.Split(body, "\n\n")
		var plain []int
		for i, b := range blocks {
			b = strings.TrimSpace(b)
			if r, _ := utf8.DecodeRuneInString(b); b != "" && !strings.ContainsRune("#-*>|![`<{:0123456789", r) && !strings.Contains(b, "](") {
				plain = append(plain, i)
			}
		}
		if len(plain) == 0 {
			return diffEdit{}, false
		}
		i := pick(d, plain)
		blocks[i] = d.paragraph()
		body = strings.Join(blocks, "\n\n")
		desc = fmt.Sprintf("replace paragraph %d of %s", i+1, rel)
	case 2:
		heading := d.phrase()
		desc = fmt.Sprintf("add heading %q to %s", heading, rel)
		body += "\n\n## " + heading + "\n\n" + d.paragraph()
	default:
		return d.link(rel, false)
	}
	return diffEdit{desc: desc, touched: append(also, d.write(rel, head+"\n"+strings.TrimLeft(body, "\n")+"\n")...)}, true
}

// link adds to a page a link to another published page, by its file
// (relative to the page's folder) or by its site path.
func (d *differ) link(rel string, byPath bool) (diffEdit, bool) {
	targets := slices.DeleteFunc(d.published(), func(p string) bool {
		// A link by file must keep resolving, so its page must not be
		// one that a [build] toggle takes off the site.
		return p == rel || !byPath && hidden(d.read(p))
	})
	if len(targets) == 0 {
		return diffEdit{}, false
	}
	target := pick(d, targets)
	link, _ := filepath.Rel(path.Dir(rel), target)
	link = filepath.ToSlash(link)
	if byPath {
		link = d.sitePath(target)
	}
	text := strings.TrimRight(d.read(rel), "\n") + fmt.Sprintf("\n\n另见[相关文章%d](%s)。\n", d.next(), link)
	return diffEdit{desc: fmt.Sprintf("link %s to %s by %s", rel, target, link), touched: d.write(rel, text)}, true
}

// linkByPath links a page to another by the other's site path
// ("/news/a/"), which dropLinked then takes away.
func (d *differ) linkByPath() (diffEdit, bool) {
	return d.link(pick(d, d.pages(func(string) bool { return true })), true)
}

// dropLinked deletes, moves or hides a page that others link to by its
// site path: the site still builds, and the link check warns of every
// link that now goes nowhere, which the session must warn of too.
func (d *differ) dropLinked() (diffEdit, bool) {
	texts := d.texts()
	var candidates []string
	for _, rel := range d.movable(anySection) {
		if hidden(texts[rel]) {
			continue
		}
		target := "](" + d.sitePath(rel) + ")"
		for p, text := range texts {
			if p != rel && strings.Contains(text, target) {
				candidates = append(candidates, rel)
				break
			}
		}
	}
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	var others []string
	if movableSection(section(rel)) && !relativeLink.MatchString(texts[rel]) {
		others = d.sections(func(sec string) bool { return movableSection(sec) && sec != section(rel) })
	}
	switch n := d.rng.Intn(3); {
	case n == 0 && len(others) > 0:
		from := unit(rel)
		to := "content/" + pick(d, others) + "/" + path.Base(from)
		if !d.exists(to) {
			return diffEdit{desc: "move the linked " + from + " to " + to, touched: d.rename(from, to)}, true
		}
	case n == 1:
		return d.editPage(rel, "make the linked "+rel+" a draft", func(t string) string { return setField(t, "draft", "true") }), true
	}
	return diffEdit{desc: "delete the linked " + unit(rel), touched: []string{d.remove(unit(rel))}}, true
}

// relativeLink finds a Markdown link to another page by its file, which
// resolves from the page's own folder.
var relativeLink = regexp.MustCompile(`\]\([^)]*\.md[)#]`)

// movableSection tells the sections whose pages may move to another: those
// without kind-specific fields, and classes, whose fields only show (a
// class without a speaker is still a class; a news item with one is still
// news).
func movableSection(sec string) bool { return loose(sec) || sec == "classes" }

// movePage moves a page (or a bundle's folder) into another movable
// section. Pages that link to others by a relative path stay, as their
// links would break.
func (d *differ) movePage() (diffEdit, bool) {
	candidates := slices.DeleteFunc(d.movable(movableSection), func(rel string) bool { return relativeLink.MatchString(d.read(rel)) })
	sections := d.sections(movableSection)
	if len(candidates) == 0 || len(sections) < 2 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	var others []string
	for _, s := range sections {
		if s != section(rel) {
			others = append(others, s)
		}
	}
	from := unit(rel)
	to := "content/" + pick(d, others) + "/" + path.Base(from)
	if d.exists(to) {
		return diffEdit{}, false
	}
	return diffEdit{desc: "move " + from + " to " + to, touched: d.rename(from, to)}, true
}

// renamePage renames a page within its section; teachers keep their names,
// which classes give as speakers.
func (d *differ) renamePage() (diffEdit, bool) {
	candidates := d.movable(func(sec string) bool { return sec != "teachers" })
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	from := unit(pick(d, candidates))
	name := strings.TrimSuffix(path.Base(from), ".md") + "-" + strconv.Itoa(d.next())
	if !strings.HasSuffix(from, ".md") {
		name = path.Dir(from) + "/" + name
	} else {
		name = path.Dir(from) + "/" + name + ".md"
	}
	return diffEdit{desc: "rename " + from + " to " + name, touched: d.rename(from, name)}, true
}

func (d *differ) deletePage() (diffEdit, bool) {
	candidates := d.movable(anySection)
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := unit(pick(d, candidates))
	return diffEdit{desc: "delete " + rel, touched: []string{d.remove(rel)}}, true
}

// newPage writes a page of the section's kind, with a random title, date
// and tags, in YAML or TOML front matter.
func (d *differ) newPage(sec string) (fields [][2]string, body string) {
	fields = [][2]string{{"title", quote(d.phrase())}, {"date", d.date()}}
	if tags := d.tags(); len(tags) > 0 {
		fields = append(fields, [2]string{"tags", quoteList(tags)})
	}
	switch sec {
	case "classes":
		teachers := d.teachers()
		if len(teachers) == 0 {
			return nil, ""
		}
		fields = append(fields,
			[2]string{"speaker", quote(pick(d, teachers))},
			[2]string{"branch", quote(pick(d, []string{"县委组织部机关党支部", "示例镇红星村党支部", "新建第" + strconv.Itoa(d.next()) + "党支部"}))},
			[2]string{"form", quote(pick(d, []string{"leader", "expert", "model", "secretary", "member"}))})
	case "teachers":
		fields = append(fields, [2]string{"level", quote(pick(d, []string{"province", "city", "county", "grassroots"}))}, [2]string{"position", quote("讲师")})
	case "cards":
		fields = append(fields, [2]string{"deck", quote(pick(d, []string{"基本标准", "新卡组"}))}, [2]string{"order", strconv.Itoa(1 + d.rng.Intn(20))})
	case "readings":
		fields = append(fields, [2]string{"required", pick(d, []string{"true", "false"})})
	}
	return fields, d.paragraph() + "\n\n## " + d.phrase() + "\n\n" + d.paragraph() + "\n"
}

// pageText writes front matter fields and a body as a page.
func (d *differ) pageText(fields [][2]string, body string) string {
	sep, delim := ": ", "---"
	if d.rng.Intn(4) == 0 {
		sep, delim = " = ", "+++"
	}
	var b strings.Builder
	b.WriteString(delim + "\n")
	for _, f := range fields {
		b.WriteString(f[0] + sep + f[1] + "\n")
	}
	b.WriteString(delim + "\n\n" + body)
	return b.String()
}

// teachers are the slugs of the site's teachers that classes may name:
// not those their own front matter hides, which a [build] toggle may take
// off the site.
func (d *differ) teachers() []string {
	var out []string
	for _, p := range d.regular(func(sec string) bool { return sec == "teachers" }) {
		if !hidden(d.read(p)) {
			out = append(out, stem(p))
		}
	}
	return out
}

func (d *differ) createPage() (diffEdit, bool) {
	sections := d.sections(func(sec string) bool { return sec != "standards" })
	if len(sections) == 0 {
		return diffEdit{}, false
	}
	sec := pick(d, sections)
	fields, body := d.newPage(sec)
	if fields == nil {
		return diffEdit{}, false
	}
	rel := fmt.Sprintf("content/%s/xin-%d.md", sec, d.next())
	return diffEdit{desc: "create " + rel, touched: d.write(rel, d.pageText(fields, body))}, true
}

func (d *differ) createSection() (diffEdit, bool) {
	rel := fmt.Sprintf("content/zt-%d/_index.md", d.next())
	text := d.pageText([][2]string{{"title", quote(d.phrase())}}, d.paragraph()+"\n")
	return diffEdit{desc: "create section " + path.Dir(rel), touched: d.write(rel, text)}, true
}

// deleteSection removes a section the test made, folder and all, when no
// page elsewhere names one of its pages.
func (d *differ) deleteSection() (diffEdit, bool) {
	var candidates []string
	texts := d.texts()
	for _, sec := range d.sections(func(sec string) bool { return strings.HasPrefix(sec, "zt-") }) {
		free := true
		for _, p := range d.regular(func(s string) bool { return s == sec }) {
			free = free && !d.referenced(p, texts)
		}
		if free {
			candidates = append(candidates, "content/"+sec)
		}
	}
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	return diffEdit{desc: "delete section " + rel, touched: []string{d.remove(rel)}}, true
}

func (d *differ) changeSpeaker() (diffEdit, bool) {
	classes := d.regular(func(sec string) bool { return sec == "classes" })
	teachers := d.teachers()
	if len(classes) == 0 || len(teachers) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, classes)
	speaker := quote(pick(d, teachers))
	if len(teachers) > 1 && d.rng.Intn(3) == 0 {
		i := d.rng.Intn(len(teachers))
		j := (i + 1 + d.rng.Intn(len(teachers)-1)) % len(teachers)
		speaker = quoteList([]string{teachers[i], teachers[j]})
	}
	return d.editPage(rel, "speaker of "+rel+" = "+speaker, func(t string) string { return setField(t, "speaker", speaker) }), true
}

var evidenceTags = regexp.MustCompile(`(evidence:.*tags: )\[[^\]]*\]`)

// changeEvidence gives one task's evidence other tags.
func (d *differ) changeEvidence() (diffEdit, bool) {
	var candidates []string
	for _, p := range d.regular(func(sec string) bool { return sec == "standards" }) {
		if evidenceTags.MatchString(d.read(p)) {
			candidates = append(candidates, p)
		}
	}
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	text := d.read(rel)
	matches := evidenceTags.FindAllStringIndex(text, -1)
	m := pick(d, matches)
	tags := d.tags()
	if len(tags) == 0 {
		tags = []string{pick(d, tagPool)}
	}
	line := evidenceTags.ReplaceAllString(text[m[0]:m[1]], "${1}"+"["+strings.Join(tags, ", ")+"]")
	text = text[:m[0]] + line + text[m[1]:]
	return diffEdit{desc: fmt.Sprintf("evidence tags of %s at byte %d = %v", rel, m[0], tags), touched: d.write(rel, text)}, true
}

// image is a small PNG of the example column.
func (d *differ) image() string {
	data, err := os.ReadFile(filepath.Join(d.repoRoot, "content/readings/shijian-jiedian/chart.png"))
	if err != nil {
		d.t.Fatal(err)
	}
	return string(data)
}

func (d *differ) createBundle() (diffEdit, bool) {
	sections := d.sections(loose)
	if len(sections) == 0 {
		return diffEdit{}, false
	}
	sec := pick(d, sections)
	folder := fmt.Sprintf("content/%s/tuji-%d", sec, d.next())
	fields, body := d.newPage(sec)
	body = "![示意图](tu.png)\n\n" + body
	touched := d.write(folder+"/index.md", d.pageText(fields, body))
	touched = append(touched, d.write(folder+"/tu.png", d.image())...)
	if d.rng.Intn(2) == 0 {
		touched = append(touched, d.write(folder+"/shuoming.txt", d.paragraph()+"\n")...)
	}
	return diffEdit{desc: "create bundle " + folder, touched: touched}, true
}

// bundles lists the page bundles' folders of sections keep returns true for.
func (d *differ) bundles(keep func(sec string) bool) []string {
	var out []string
	for _, p := range d.regular(keep) {
		if isBundle(p) {
			out = append(out, path.Dir(p))
		}
	}
	return out
}

func (d *differ) addBundleFile() (diffEdit, bool) {
	bundles := d.bundles(func(sec string) bool { return sec != "teachers" })
	if len(bundles) == 0 {
		return diffEdit{}, false
	}
	folder := pick(d, bundles)
	rel := fmt.Sprintf("%s/fujian-%d.txt", folder, d.next())
	text := d.paragraph() + "\n"
	if d.rng.Intn(2) == 0 {
		rel = strings.TrimSuffix(rel, ".txt") + ".png"
		text = d.image()
	}
	return diffEdit{desc: "add bundle file " + rel, touched: d.write(rel, text)}, true
}

// removeBundleFile removes a bundle's file that its page does not show.
func (d *differ) removeBundleFile() (diffEdit, bool) {
	var candidates []string
	for _, folder := range d.bundles(func(sec string) bool { return sec != "teachers" }) {
		page := d.read(folder + "/index.md")
		entries, _ := os.ReadDir(d.abs(folder))
		for _, e := range entries {
			if !e.IsDir() && e.Name() != "index.md" && !strings.Contains(page, e.Name()) {
				candidates = append(candidates, folder+"/"+e.Name())
			}
		}
	}
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	return diffEdit{desc: "remove bundle file " + rel, touched: []string{d.remove(rel)}}, true
}

func (d *differ) deleteBundle() (diffEdit, bool) {
	var candidates []string
	texts := d.texts()
	for _, folder := range d.bundles(loose) {
		if !d.referenced(folder+"/index.md", texts) {
			candidates = append(candidates, folder)
		}
	}
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	folder := pick(d, candidates)
	return diffEdit{desc: "delete bundle " + folder, touched: []string{d.remove(folder)}}, true
}

// overridable are templates of the default theme that a site may override
// and the test may mutate: each is called with a page.
var overridable = []string{"partials/footer.html", "partials/header.html", "partials/page-meta.html", "partials/prev-next.html", "partials/breadcrumbs.html", "_default/baseof.html"}

// siteTemplate returns a template of the site, copying the theme's first
// when the site does not override it yet; ok is false when neither has it.
func (d *differ) siteTemplate(name string) (text string, existed bool, ok bool) {
	rel := "layouts/" + name
	if d.exists(rel) {
		return d.read(rel), true, true
	}
	data, err := os.ReadFile(filepath.Join(d.repoRoot, "themes/default/layouts", filepath.FromSlash(name)))
	return string(data), false, err == nil
}

// templates lists the templates the test may mutate: the site's own, and
// the theme's that can be overridden.
func (d *differ) templates() []string {
	names := append([]string(nil), overridable...)
	filepath.WalkDir(d.abs("layouts"), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(d.abs("layouts"), p)
		if rel = filepath.ToSlash(rel); !slices.Contains(names, rel) {
			names = append(names, rel)
		}
		return nil
	})
	return names
}

// editTemplate inserts a comment, a text node or the page's title into a
// template, so that it stays valid: at the end of a partial, before
// </body> in a base, after {{ define "main" }} in a page template.
func (d *differ) editTemplate() (diffEdit, bool) {
	name := pick(d, d.templates())
	text, _, ok := d.siteTemplate(name)
	if !ok {
		return diffEdit{}, false
	}
	insert := pick(d, []string{
		fmt.Sprintf("<!-- 修改%d -->", d.next()),
		fmt.Sprintf("<span class=\"note\">第%d处修改</span>", d.next()),
		fmt.Sprintf("<span class=\"t%d\">{{ .Title }}</span>", d.next()),
	})
	switch {
	case strings.Contains(text, "</body>"):
		text = strings.Replace(text, "</body>", insert+"\n</body>", 1)
	case strings.Contains(text, `{{ define "main" }}`):
		text = strings.Replace(text, `{{ define "main" }}`, `{{ define "main" }}`+insert, 1)
	case strings.HasPrefix(name, "partials/"):
		text = strings.TrimRight(text, "\n") + insert + "\n"
	default:
		return diffEdit{}, false
	}
	rel := "layouts/" + name
	return diffEdit{desc: fmt.Sprintf("insert %s into %s", insert, rel), touched: d.write(rel, text)}, true
}

// dropTemplate removes the site's override of a theme template, so that
// the theme's shows again.
func (d *differ) dropTemplate() (diffEdit, bool) {
	var candidates []string
	for _, name := range overridable {
		// The site's own templates stay: its pages need them.
		if _, existed, _ := d.siteTemplate(name); existed && !d.ownLayouts[name] {
			candidates = append(candidates, "layouts/"+name)
		}
	}
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	return diffEdit{desc: "drop the override " + rel, touched: []string{d.remove(rel)}}, true
}

// i18nKeys are strings of the default theme that both sites show.
var i18nKeys = []string{"publishedBy", "builtWith", "skipToContent", "previous", "next", "home", "prevPage", "nextPage", "moreInSection"}

// editI18n writes the site's own strings over a few of the theme's, or
// removes the file, in either language: the one the site is not in must
// change nothing.
func (d *differ) editI18n() (diffEdit, bool) {
	rel := "i18n/" + pick(d, []string{"zh-CN", "en"}) + ".toml"
	if d.exists(rel) && d.rng.Intn(3) == 0 {
		return diffEdit{desc: "remove " + rel, touched: []string{d.remove(rel)}}, true
	}
	var b strings.Builder
	b.WriteString("# The site's own wording over the theme's.\n")
	var keys []string
	for range 1 + d.rng.Intn(3) {
		if k := pick(d, i18nKeys); !slices.Contains(keys, k) {
			keys = append(keys, k)
			fmt.Fprintf(&b, "%s = %s\n", k, quote(d.phrase()+"："))
		}
	}
	return diffEdit{desc: fmt.Sprintf("override %v in %s", keys, rel), touched: d.write(rel, b.String())}, true
}

var (
	configTitle = regexp.MustCompile(`(?m)^title\s*=.*$`)
	configDesc  = regexp.MustCompile(`(?m)^description\s*=.*$`)
	configPage  = regexp.MustCompile(`(?m)^paginate\s*=.*$`)
	configMenu  = regexp.MustCompile(`(?m)^name\s*=.*$`)
	configParam = regexp.MustCompile(`(?m)^slogan\s*=.*$`)
)

// editConfig changes the site's title, description, pagination, a menu
// entry's name or a [params] value in lanmu.toml.
func (d *differ) editConfig() (diffEdit, bool) {
	const rel = "lanmu.toml"
	text := d.read(rel)
	var desc string
	switch d.rng.Intn(5) {
	case 0:
		v := quote(d.phrase() + "专栏")
		text, desc = configTitle.ReplaceAllString(text, "title = "+v), "title = "+v
	case 1:
		v := quote(d.paragraph())
		text, desc = configDesc.ReplaceAllString(text, "description = "+v), "description"
	case 2:
		v := strconv.Itoa(1 + d.rng.Intn(12))
		text, desc = configPage.ReplaceAllString(text, "paginate = "+v), "paginate = "+v
	case 3:
		names := configMenu.FindAllStringIndex(text, -1)
		if len(names) == 0 {
			return diffEdit{}, false
		}
		m := pick(d, names)
		v := quote(d.phrase())
		text, desc = text[:m[0]]+"name = "+v+text[m[1]:], "a menu entry's name = "+v
	default:
		v := quote(d.phrase())
		if configParam.MatchString(text) {
			text = configParam.ReplaceAllString(text, "slogan = "+v)
		} else {
			text = strings.TrimRight(text, "\n") + "\n\n[params]\nslogan = " + v + "\n"
		}
		desc = "params.slogan = " + v
	}
	return diffEdit{desc: "lanmu.toml: " + desc, touched: d.write(rel, text)}, true
}

// tableKey finds key in a table of lanmu.toml ("" for the top level): the
// index of its line, and the line the table's keys start at; key is -1
// when the table does not have it, table -1 when there is no such table.
func tableKey(lines []string, table, key string) (at, start int) {
	start = 0
	if table != "" {
		start = slices.IndexFunc(lines, func(l string) bool { return strings.TrimSpace(l) == "["+table+"]" }) + 1
		if start == 0 {
			return -1, -1
		}
	}
	keyLine := regexp.MustCompile(`^` + key + `\s*=`)
	for i := start; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "["); i++ {
		if keyLine.MatchString(lines[i]) {
			return i, start
		}
	}
	return -1, start
}

// configValue reads a key of lanmu.toml, unquoted; "" when it is not set.
func configValue(text, table, key string) string {
	lines := strings.SplitAfter(text, "\n")
	at, _ := tableKey(lines, table, key)
	if at < 0 {
		return ""
	}
	_, v, _ := strings.Cut(lines[at], "=")
	return strings.Trim(strings.TrimSpace(v), `"`)
}

// setConfig sets a key of lanmu.toml, adding it at the start of its table,
// or the table at the end of the file.
func setConfig(text, table, key, value string) string {
	lines := strings.SplitAfter(text, "\n")
	line := key + " = " + value + "\n"
	switch at, start := tableKey(lines, table, key); {
	case at >= 0:
		lines[at] = line
	case start >= 0:
		lines = slices.Insert(lines, start, line)
	default:
		return strings.TrimRight(text, "\n") + "\n\n[" + table + "]\n" + line
	}
	return strings.Join(lines, "")
}

// switchTheme switches between the default theme and ink, which extends
// it: every template and string changes, and the site's overrides stay.
func (d *differ) switchTheme() (diffEdit, bool) {
	const rel = "lanmu.toml"
	text := d.read(rel)
	theme := "ink"
	if configValue(text, "", "theme") == "ink" {
		theme = "default"
	}
	return diffEdit{desc: "lanmu.toml: theme = " + theme, touched: d.write(rel, setConfig(text, "", "theme", quote(theme)))}, true
}

// switchLanguage switches the site between Chinese and English: the
// theme's strings, the dates' format and the i18n file the site's own
// strings are read from.
func (d *differ) switchLanguage() (diffEdit, bool) {
	const rel = "lanmu.toml"
	text := d.read(rel)
	lang := "en"
	if configValue(text, "", "language") == "en" {
		lang = "zh-CN"
	}
	return diffEdit{desc: "lanmu.toml: language = " + lang, touched: d.write(rel, setConfig(text, "", "language", quote(lang)))}, true
}

// toggleBuild turns [build] drafts, future or expired on or off, so that
// the pages their front matter hides come onto the site or leave it.
func (d *differ) toggleBuild() (diffEdit, bool) {
	const rel = "lanmu.toml"
	text := d.read(rel)
	key := pick(d, []string{"drafts", "future", "expired"})
	value := strconv.FormatBool(configValue(text, "build", key) != "true")
	return diffEdit{desc: "lanmu.toml: build." + key + " = " + value, touched: d.write(rel, setConfig(text, "build", key, value))}, true
}

// futureDates are moments after diffNow: half an hour after, which only
// the exact moment tells from the past, and months after.
var futureDates = []string{"2026-06-01T20:30:00+08:00", "2026-09-15T09:00:00+08:00", "2027-03-01T08:00:00+08:00"}

// unpublish hides a page that no other page names by its file: it becomes
// a draft, gets a date or publish date after diffNow, or expires.
func (d *differ) unpublish() (diffEdit, bool) {
	candidates := slices.DeleteFunc(d.movable(anySection), func(rel string) bool { return hidden(d.read(rel)) })
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	key, value := "draft", "true"
	switch d.rng.Intn(4) {
	case 1:
		key, value = "date", pick(d, futureDates)
	case 2:
		key, value = "publishDate", pick(d, futureDates)
	case 3:
		// Half an hour before diffNow, or in the column's own year.
		key, value = "expiryDate", pick(d, []string{"2026-06-01T19:30:00+08:00", d.date()})
	}
	return d.editPage(rel, fmt.Sprintf("hide %s: %s = %s", rel, key, value), func(t string) string { return setField(t, key, value) }), true
}

// republish brings back a page its front matter hides: no longer a
// draft, dated in the past, without an expiry date.
func (d *differ) republish() (diffEdit, bool) {
	candidates := d.pages(func(rel string) bool { return hidden(d.read(rel)) })
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	date := d.date()
	return d.editPage(rel, "publish "+rel+" again, dated "+date, func(t string) string {
		if fieldValue(t, "draft") == "true" {
			t = setField(t, "draft", pick(d, []string{"false", ""}))
			if fieldValue(t, "draft") == "" {
				t = removeField(t, "draft")
			}
		}
		t = removeField(removeField(t, "publishDate"), "expiryDate")
		if at, ok := frontMatterDate(fieldValue(t, "date")); ok && at.After(diffNow) {
			t = setField(t, "date", date)
		}
		return t
	}), true
}

// editStatic adds, changes or removes a file of the site's static/.
func (d *differ) editStatic() (diffEdit, bool) {
	var files []string
	filepath.WalkDir(d.abs("static"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(d.dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	switch n := d.rng.Intn(3); {
	case n == 0 && len(files) > 0:
		rel := pick(d, files)
		return diffEdit{desc: "remove " + rel, touched: []string{d.remove(rel)}}, true
	case n == 1 && len(files) > 0:
		rel := pick(d, files)
		return diffEdit{desc: "change " + rel, touched: d.write(rel, d.staticText(rel))}, true
	}
	rel := pick(d, []string{"static/css/extra-%d.css", "static/notes/note-%d.txt", "static/robots-%d.txt"})
	rel = fmt.Sprintf(rel, d.next())
	return diffEdit{desc: "add " + rel, touched: d.write(rel, d.staticText(rel))}, true
}

func (d *differ) staticText(rel string) string {
	if strings.HasSuffix(rel, ".css") {
		return fmt.Sprintf(".note-%d { color: #%06x; }\n", d.next(), d.rng.Intn(1<<24))
	}
	return d.paragraph() + "\n"
}

// breaking writes a broken version of a file and returns the edit with its
// fix: the file's bytes before, or its removal when it was new.
func (d *differ) breaking(rel, desc, broken string) diffEdit {
	before, err := os.ReadFile(d.abs(rel))
	existed := err == nil
	touched := d.write(rel, broken)
	return diffEdit{desc: desc, touched: touched, fix: func() diffEdit {
		if !existed {
			return diffEdit{desc: "fix: remove " + rel, touched: []string{d.remove(rel)}}
		}
		return diffEdit{desc: "fix: restore " + rel, touched: d.write(rel, string(before))}
	}}
}

// breakFrontMatter leaves a YAML flow sequence open in a page's title.
func (d *differ) breakFrontMatter() (diffEdit, bool) {
	candidates := slices.DeleteFunc(d.published(), func(rel string) bool { return !strings.HasPrefix(d.read(rel), "---") })
	if len(candidates) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, candidates)
	broken := setField(d.read(rel), "title", "[未闭合的标题")
	return d.breaking(rel, "break the YAML of "+rel, broken), true
}

// breakLink links a page to a file that does not exist.
func (d *differ) breakLink() (diffEdit, bool) {
	pages := d.published()
	if len(pages) == 0 {
		return diffEdit{}, false
	}
	rel := pick(d, pages)
	broken := strings.TrimRight(d.read(rel), "\n") + fmt.Sprintf("\n\n见[不存在的文章](meiyou-%d.md)。\n", d.next())
	return d.breaking(rel, "link "+rel+" to a missing page", broken), true
}

// breakTemplate leaves an {{ if }} open in a template the site uses.
func (d *differ) breakTemplate() (diffEdit, bool) {
	name := pick(d, d.templates())
	text, _, ok := d.siteTemplate(name)
	if !ok {
		return diffEdit{}, false
	}
	rel := "layouts/" + name
	return d.breaking(rel, "leave an {{ if }} open in "+rel, strings.TrimRight(text, "\n")+"\n{{ if .Title }}未闭合\n"), true
}

// breakConfig sets pagination to zero or adds a misspelt key.
func (d *differ) breakConfig() (diffEdit, bool) {
	const rel = "lanmu.toml"
	text := d.read(rel)
	if d.rng.Intn(2) == 0 && configPage.MatchString(text) {
		return d.breaking(rel, "lanmu.toml: paginate = 0", configPage.ReplaceAllString(text, "paginate = 0")), true
	}
	return d.breaking(rel, "lanmu.toml: a misspelt key", "titel = \"错字\"\n"+text), true
}
