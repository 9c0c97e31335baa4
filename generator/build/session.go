package build

import (
	"bytes"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"lanmu/generator/content"
	"lanmu/generator/deps"
	"lanmu/generator/diag"
	"lanmu/generator/markup"
	"lanmu/generator/output"
	"lanmu/generator/search"
	"lanmu/generator/theme"
)

// Session builds a site again and again in memory, as lanmu serve does
// after every save. It converts only Markdown whose text or link targets
// changed, and renders only the outputs that read something that changed:
// while an output renders, what its templates read is recorded (see
// reads.go), and the next build compares each thing read with its value
// then. A failed build leaves the session's last good site as it was.
type Session struct {
	opts      Options
	converted map[string]convertEntry // source file → last conversion
	last      *Result                 // the last good build
	// reads holds what each rendered output read, and the values then.
	reads *deps.Table
	// templates names the layout each output was rendered with: a new,
	// more specific layout makes the output stale.
	templates map[string]string
	// lastStatic are the outputs copied from static/ folders last time.
	lastStatic map[string]bool
	// search keeps each page's tokens for the next search index.
	search search.Cache
	// loader keeps content/'s files and their parses between builds, and
	// changed are the paths the next build is to read again (nil: all).
	loader  *content.Loader
	changed []string
	// theme, i18n and funcSite are the last good parsed templates and
	// strings, kept while only content changes (see load).
	theme    *theme.Set
	i18n     map[string]string
	funcSite *funcSite
	// Defer lets Update return before the slow generated outputs that no
	// page reads while it loads (the search index) are made, and, once
	// there is a last build, before the pages that First does not name;
	// the result's Later gives them once they are. lanmu serve sets it, so
	// that a saved page reaches the browser without waiting for the whole
	// site's index, or for every page after a template edit.
	Defer bool
	// fresh says the last build succeeded, so that the last good site is
	// the files as the loader last read them; builtBase is the base URL it
	// was built for. Only then may a save be applied to it (see rewrite).
	fresh     bool
	builtBase string
	// First names the outputs to make before Update returns: the pages the
	// browsers show ("/news/a/index.html"). nil means every page.
	First func() []string
}

type convertEntry struct {
	key    uint64
	result *markup.Result
	html   deps.Value // the value of its HTML, for readContent
	toc    deps.Value // and of its TOC, for readBody
	// body is the Markdown converted, which the content loader shares
	// between loads until the file changes: the same bytes at the same
	// place, with the same links, need no hashing to be known unchanged.
	body   *byte
	n      int
	links  uint64
	path   string
	unsafe bool
}

// Result is one build of a Session.
type Result struct {
	Site  *Site
	Files map[string][]byte // the whole site by site path
	// Changed lists the outputs added, changed or removed since the last
	// good build (all of them for the first).
	Changed   []string
	Rendered  int // outputs rendered by templates this time
	Reused    int // outputs kept from the last build
	Converted int // Markdown files converted this time
	Duration  time.Duration
	// Stages times the steps of the build, in order.
	Stages []Stage
	// Warnings are the problems that do not stop a build, the same that
	// lanmu build prints for these sources.
	Warnings []*diag.Error
	// Deferred counts the outputs still being made when Update returned
	// (see Session.Defer): Later gives them, and Wait waits for them.
	Deferred int
	// later holds those outputs; they are not in Files until the next
	// build begins. unnamed are the files their jobs made besides
	// (see madeFiles), known once done is closed.
	later   map[string]*laterFile
	unnamed map[string][]byte
	// done is closed once they are made, err is why they could not be,
	// and prev is the build before, which stays the last good one then.
	done chan struct{}
	err  error
	prev *Result
	// undo puts the site back as it was before this build, which edited
	// it in place (see Session.rewrite).
	undo func()
}

// Wait waits until every output of the build is made and returns what
// stopped it, if anything: a build may fail after Update returned, on a
// page rendered later. Warnings are complete once it returns.
func (r *Result) Wait() error {
	if r.done != nil {
		<-r.done
	}
	return r.err
}

// laterFile is an output made after its build returned.
type laterFile struct {
	done chan struct{}
	data []byte
	made bool // made when its job runs (madeLater), not a page
}

// Later lists the outputs still being made when the build returned, each
// with a function that waits for its bytes; it is safe to call from many
// goroutines.
func (r *Result) Later() map[string]func() []byte {
	out := make(map[string]func() []byte, len(r.later))
	for p, f := range r.later {
		out[p] = func() []byte { <-f.done; return f.data }
	}
	return out
}

// Complete waits for the outputs still being made and returns every
// output of the build (those that could not be made left out; see Wait).
func (r *Result) Complete() map[string][]byte {
	r.Wait()
	if len(r.later) == 0 {
		return r.Files
	}
	all := make(map[string][]byte, len(r.Files)+len(r.later))
	for p, data := range r.Files {
		all[p] = data
	}
	for p, f := range r.later {
		if f.data != nil {
			all[p] = f.data
		}
	}
	maps.Copy(all, r.unnamed)
	return all
}

// Unnamed returns a function that waits for the outputs still being made
// and returns one that Later could not list, as its name was not known
// when the build returned (the search index's shards, named by their
// content). Like Later's, it is safe to call from many goroutines, and
// while the session goes on to the next build.
func (r *Result) Unnamed() func(p string) ([]byte, bool) {
	done, files := r.done, r.Files
	if done == nil {
		return func(p string) ([]byte, bool) { data, ok := files[p]; return data, ok }
	}
	return func(p string) ([]byte, bool) {
		<-done
		// Written before done was closed, and never again.
		data, ok := r.unnamed[p]
		return data, ok
	}
}

// settle waits for the last build's outputs still being made and puts
// them in its Files, before the next build compares with them; a build
// that failed on one of them gives way to the one before.
func (s *Session) settle() {
	r := s.last
	if r == nil || r.done == nil {
		return
	}
	if r.Wait() != nil {
		if r.undo != nil {
			r.undo()
		}
		s.last, s.fresh = r.prev, false
		s.settle()
		return
	}
	r.Files = r.Complete()
	r.later, r.done, r.prev, r.undo = nil, nil, nil, nil
}

// NewSession starts a session; nothing is built until Build.
func NewSession(opts Options) *Session {
	return &Session{opts: opts, converted: map[string]convertEntry{}, reads: deps.NewTable(), templates: map[string]string{}}
}

// SetBaseURL changes the base URL the session builds for, as lanmu serve
// does when lanmu.toml moves the site to another base path.
func (s *Session) SetBaseURL(u string) { s.opts.BaseURL = u }

// ReadsSize counts the things the session remembers the values of, and
// the reads of all outputs together.
func (s *Session) ReadsSize() (keys, reads int) { return s.reads.Size() }

// Last returns the last good build, or nil.
func (s *Session) Last() *Result { return s.last }

// Update rebuilds the site after the given source files changed (absolute
// paths, or paths relative to the site folder, as the watcher reports them:
// files written, created, removed or renamed, and folders). nil means that
// what changed is unknown, and everything is read again. On error the last
// good build stays current.
func (s *Session) Update(changed []string) (*Result, error) {
	if changed == nil {
		return s.Build()
	}
	return s.build(changed)
}

// Build rebuilds the site, reading every file again. On error the last
// good build stays current.
func (s *Session) Build() (*Result, error) { return s.build(nil) }

func (s *Session) build(changed []string) (*Result, error) {
	s.changed = changed
	start := time.Now()
	s.settle()
	var stages []Stage
	stage := func(name string) {
		now := time.Now()
		stages = append(stages, Stage{Name: name, Took: now.Sub(start)})
		start = now
	}
	began := start
	p, quick := s.rewrite(changed, stage)
	// Until this build succeeds, the next one loads the site: what this
	// one read may not be in the last good site.
	s.fresh = false
	if !quick {
		stages = stages[:0] // a rewrite given up on: its time counts in Duration only
		var err error
		if p, err = s.prepare(stage); err != nil {
			return nil, err
		}
	}
	res, err := s.renderPrepared(p, stage)
	if err != nil {
		if p.undo != nil {
			p.undo()
		}
		return nil, err
	}
	res.Stages = stages
	res.Duration = time.Since(began)
	res.undo = p.undo
	s.fresh = true
	s.builtBase = s.opts.BaseURL
	return res, nil
}

// prepare loads the site, plans its outputs and finds those whose reads
// changed, as after any change.
func (s *Session) prepare(stage func(string)) (*prepared, error) {
	site, err := load(s.opts, s, nil)
	if err != nil {
		return nil, err
	}
	stage("load")
	jobs, err := site.plan()
	if err != nil {
		return nil, err
	}
	stage("plan")
	site.index(jobs)
	site.computeMetaValues()
	stale := s.reads.Begin(site.recordable(jobs), site.valueOf)
	stage("find stale outputs")
	return &prepared{site: site, jobs: jobs, stale: stale}, nil
}

// index keeps a session build's jobs on its site, for reads of outputs'
// data, and has its templates record what they read.
func (site *Site) index(jobs []*job) {
	site.Theme.Recording = true
	site.planned = jobs
	site.jobs = make(map[string]*job, len(jobs))
	for _, j := range jobs {
		site.jobs[j.path] = j
	}
}

// recordable lists the outputs of jobs whose reads are recorded.
func (site *Site) recordable(jobs []*job) []string {
	var out []string
	for _, j := range jobs {
		if j.recordable() {
			out = append(out, j.path)
		}
	}
	return out
}

// renderPrepared renders the stale outputs of a prepared build, the pages
// shown first when the session defers the rest, and makes its result.
func (s *Session) renderPrepared(p *prepared, stage func(string)) (*Result, error) {
	site, jobs, stale := p.site, p.jobs, p.stale
	var first map[string]bool
	if s.Defer && s.First != nil {
		first = map[string]bool{}
		for _, p := range s.First() {
			first[p] = true
		}
	}
	res := &Result{Site: site, Converted: site.converted, prev: s.last}
	b := &sessionBuild{session: s, site: site, jobs: jobs, res: res, files: map[string][]byte{}, mem: output.NewMemory()}
	var now, later []*job
	for _, j := range jobs {
		if s.last != nil && j.recordable() && !stale[j.path] && s.templates[j.path] == j.layout() {
			if old, ok := s.last.Files[j.path]; ok {
				b.files[j.path] = old
				res.Reused++
				continue
			}
		}
		switch {
		case s.Defer && isMadeLater(j), s.Defer && s.last != nil && j.recordable() && !first[j.path] && first != nil:
			// Slow to make and read by no page while it loads (the
			// search index), or a page no browser shows now.
			later = append(later, j)
		default:
			now = append(now, j)
		}
	}
	if err := b.render(now); err != nil {
		return nil, err
	}
	res.Rendered = b.rendered
	stage("render")
	if len(later) == 0 {
		b.finish()
		stage("record reads and warnings")
		res.Files = b.files
		res.Changed = changedPaths(s.last, b.files)
	} else {
		res.Files = maps.Clone(b.files)
		res.Changed = changedPaths(s.last, res.Files)
		res.later = map[string]*laterFile{}
		for _, j := range later {
			res.later[j.path] = &laterFile{done: make(chan struct{}), made: isMadeLater(j)}
		}
		// Of the outputs made later, the pages rendered again count as
		// changed, as what they read did; the feeds, the sitemap and the
		// search index, made again after every save, count only if the
		// last build lacked them, or a save that changed nothing would
		// reload every browser. changedPaths took every output made later
		// for removed: it is not among the files yet.
		// So did the files whose names a job made later will tell (the
		// search index's shards): those of the last build are in the
		// folder of such a job.
		var unnamedIn []string
		for _, j := range later {
			if _, ok := j.make.(madeFiles); ok {
				unnamedIn = append(unnamedIn, path.Dir(j.path)+"/")
			}
		}
		changed := res.Changed[:0]
		for _, p := range res.Changed {
			_, made := res.Files[p]
			unnamed := !made && slices.ContainsFunc(unnamedIn, func(dir string) bool { return strings.HasPrefix(p, dir) })
			if f := res.later[p]; (f == nil || !f.made) && !unnamed {
				changed = append(changed, p)
			}
		}
		res.Changed = changed
		for _, j := range later {
			had := false
			if s.last != nil {
				_, had = s.last.Files[j.path]
			}
			if !had || !isMadeLater(j) {
				res.Changed = append(res.Changed, j.path)
			}
		}
		slices.Sort(res.Changed)
		res.Changed = slices.Compact(res.Changed)
		res.Deferred = len(later)
		res.done = make(chan struct{})
		go func() {
			defer close(res.done)
			res.err = b.render(later)
			if res.err == nil {
				b.finish()
			}
			for _, j := range later {
				f := res.later[j.path]
				f.data = b.files[j.path]
				close(f.done)
			}
			res.unnamed = map[string][]byte{}
			for p, data := range b.files {
				if _, ok := res.Files[p]; !ok && res.later[p] == nil {
					res.unnamed[p] = data
				}
			}
		}()
	}
	stage("compare")
	s.last = res
	return res, nil
}

// sessionBuild is one build of a session, which may end after Build
// returns (see Session.Defer).
type sessionBuild struct {
	session  *Session
	site     *Site
	jobs     []*job
	res      *Result
	mem      *output.Memory
	files    map[string][]byte
	reads    map[string][]deps.Key // what each rendered output read
	rendered int
}

// render renders jobs in parallel, recording what each reads, and adds
// their files.
func (b *sessionBuild) render(jobs []*job) error {
	target := b.site.target(b.mem)
	reads := make([]*outputReads, len(jobs))
	var problems diag.List
	parallel(len(jobs), func(i int) {
		if jobs[i].recordable() {
			reads[i] = newOutputReads()
			if !jobs[i].make.(rendered).isPage() {
				// Data that is not a page is read whole.
				reads[i].read(readData, jobs[i].path)
			}
		}
		problems.Add(jobs[i].render(b.site, target, reads[i]))
	})
	if err := problems.Err(); err != nil {
		return err
	}
	if b.reads == nil {
		b.reads = map[string][]deps.Key{}
	}
	made := b.mem.Files()
	for i, j := range jobs {
		if j.recordable() {
			b.rendered++
		}
		if data, ok := made[j.path]; ok {
			b.files[j.path] = data
		}
		if _, ok := j.make.(madeFiles); ok {
			// Its other files, whose names only the making told.
			for p, data := range made {
				if _, ok := b.files[p]; !ok {
					b.files[p] = data
				}
			}
		}
		if r := reads[i]; r != nil {
			keys := append(r.rec.Keys(), deps.Key{Kind: readGlobal}, deps.Key{Kind: readLayout, Of: j.layout()})
			b.reads[j.path] = keys
		}
	}
	return nil
}

// finish ends a build whose every output is made: the session keeps what
// the outputs read, and the warnings are found.
func (b *sessionBuild) finish() {
	s := b.session
	for p, keys := range b.reads {
		s.reads.Record(p, keys)
	}
	keep := make(map[string]bool, len(b.jobs))
	templates := map[string]string{}
	static := map[string]bool{}
	for _, j := range b.jobs {
		if j.recordable() {
			keep[j.path] = true
			templates[j.path] = j.layout()
		}
		if j.static() {
			static[j.path] = true
		}
	}
	s.reads.Commit(keep)
	s.templates, s.lastStatic = templates, static
	files := b.files
	b.res.Warnings = b.site.warnings(b.jobs, func(p string) ([]byte, bool) { d, ok := files[p]; return d, ok })
}

// BuildStatic updates the last good build after changes to static/ files
// only: they are copied again and nothing else is read, so a stylesheet
// edit reaches the browser at once however large the site is.
func (s *Session) BuildStatic() (*Result, error) {
	s.settle()
	if s.last == nil {
		return s.Build()
	}
	start := time.Now()
	site := s.last.Site
	jobs := staticJobs(site.Dir, site.Theme.Static)
	mem := output.NewMemory()
	var problems diag.List
	target := site.target(mem)
	parallel(len(jobs), func(i int) { problems.Add(jobs[i].run(site, target)) })
	if err := problems.Err(); err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(s.last.Files))
	for p, data := range s.last.Files {
		if !s.lastStatic[p] {
			files[p] = data
		}
	}
	static := map[string]bool{}
	for p, data := range mem.Files() {
		if _, taken := files[p]; !taken {
			files[p] = data
			static[p] = true
		}
	}
	res := &Result{Site: site, Files: files, Reused: len(files) - len(static), Duration: time.Since(start)}
	res.Changed = changedPaths(s.last, files)
	s.last, s.lastStatic = res, static
	return res, nil
}

// changedPaths lists the outputs that differ between two builds.
func changedPaths(prev *Result, files map[string][]byte) []string {
	out := []string{} // nil would tell serve "everything"
	for p, data := range files {
		if prev == nil {
			out = append(out, p)
			continue
		}
		if old, ok := prev.Files[p]; !ok || !bytes.Equal(old, data) {
			out = append(out, p)
		}
	}
	if prev != nil {
		for p := range prev.Files {
			if _, ok := files[p]; !ok {
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// conversionKey identifies what a page's converted Markdown depends on: its
// text, the URL of every page and file its links may name, and the safety
// setting.
func conversionKey(p *content.Page, links uint64, unsafe bool) uint64 {
	h := deps.NewHasher().String(p.File).String(p.Path).Uint(links)
	if unsafe {
		h.String("unsafe")
	}
	return h.Bytes(p.Body).Sum()
}

// linkMapHash hashes where every page and file of the site is published.
func linkMapHash(cs *content.Site) uint64 {
	h := deps.NewHasher()
	for _, p := range cs.Pages {
		h.String(p.File).String(p.RelPermalink)
	}
	for _, f := range slices.Sorted(maps.Keys(cs.Files)) {
		h.String(f).String(cs.Files[f])
	}
	return h.Sum()
}
