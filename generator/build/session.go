package build

import (
	"bytes"
	"slices"
	"sort"
	"time"

	"lanmu/generator/content"
	"lanmu/generator/deps"
	"lanmu/generator/diag"
	"lanmu/generator/markup"
	"lanmu/generator/output"
	"lanmu/generator/search"
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
	// Defer lets Update return before the slow generated outputs that no
	// page reads while it loads (the search index) are made; the result's
	// Later gives them once they are. lanmu serve sets it, so that a saved
	// page reaches the browser without waiting for the whole site's index.
	Defer bool
}

type convertEntry struct {
	key    uint64
	result *markup.Result
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
	// later holds the outputs still being made when Update returned (see
	// Session.Defer); they are not in Files until the next build begins.
	later map[string]*laterFile
}

// laterFile is an output made after its build returned.
type laterFile struct {
	done chan struct{}
	data []byte
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
// output of the build.
func (r *Result) Complete() map[string][]byte {
	if len(r.later) == 0 {
		return r.Files
	}
	all := make(map[string][]byte, len(r.Files)+len(r.later))
	for p, data := range r.Files {
		all[p] = data
	}
	for p, f := range r.later {
		<-f.done
		all[p] = f.data
	}
	return all
}

// settle waits for the outputs still being made and puts them in Files,
// before a later build compares with them.
func (r *Result) settle() {
	if len(r.later) == 0 {
		return
	}
	r.Files = r.Complete()
	r.later = nil
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
	return s.Build()
}

// Build rebuilds the site. On error the last good build stays current.
func (s *Session) Build() (*Result, error) {
	start := time.Now()
	if s.last != nil {
		s.last.settle()
	}
	var stages []Stage
	stage := func(name string) {
		now := time.Now()
		stages = append(stages, Stage{name, now.Sub(start)})
		start = now
	}
	began := start
	site, err := load(s.opts, s)
	if err != nil {
		return nil, err
	}
	stage("load")
	jobs, err := site.plan()
	if err != nil {
		return nil, err
	}
	stage("plan")
	site.Theme.Recording = true
	site.jobs = make(map[string]*job, len(jobs))
	var recordable []string
	for _, j := range jobs {
		site.jobs[j.path] = j
		if j.recordable() {
			recordable = append(recordable, j.path)
		}
	}
	site.computeMetaValues()
	stale := s.reads.Begin(recordable, site.valueOf)
	mem := output.NewMemory()
	target := site.target(mem)
	res := &Result{Site: site, Converted: site.converted}
	var todo []*job
	files := map[string][]byte{}
	static := map[string]bool{}
	for _, j := range jobs {
		if j.static {
			static[j.path] = true
		}
		if s.Defer && j.make != nil {
			continue // made below, after the rest
		}
		if s.last != nil && j.recordable() && !stale[j.path] && s.templates[j.path] == j.template {
			if old, ok := s.last.Files[j.path]; ok {
				files[j.path] = old
				res.Reused++
				continue
			}
		}
		todo = append(todo, j)
	}
	stage("find stale outputs")
	reads := make([]*outputReads, len(todo))
	var problems diag.List
	parallel(len(todo), func(i int) {
		if todo[i].recordable() {
			reads[i] = newOutputReads()
			if _, page := todo[i].data.(*Page); !page {
				// Data that is not a page is read whole.
				reads[i].read(readData, todo[i].path)
			}
		}
		problems.Add(todo[i].render(site, target, reads[i]))
	})
	if err := problems.Err(); err != nil {
		return nil, err
	}
	stage("render")
	templates := map[string]string{}
	for i, j := range todo {
		if j.template != "" {
			res.Rendered++
		}
		if r := reads[i]; r != nil {
			keys := append(r.rec.Keys(), deps.Key{Kind: readGlobal})
			for _, f := range site.Theme.Files(j.template) {
				keys = append(keys, deps.Key{Kind: readTemplate, Of: f})
			}
			s.reads.Record(j.path, keys)
		}
	}
	keep := make(map[string]bool, len(recordable))
	for _, j := range jobs {
		if j.recordable() {
			keep[j.path] = true
			templates[j.path] = j.template
		}
	}
	s.reads.Commit(keep)
	stage("record reads")
	for p, data := range mem.Files() {
		files[p] = data
	}
	res.Files = files
	res.Warnings = site.warnings(jobs, func(p string) ([]byte, bool) { d, ok := files[p]; return d, ok })
	stage("warnings")
	res.Changed = changedPaths(s.last, files)
	if s.Defer {
		res.later = map[string]*laterFile{}
		for _, j := range jobs {
			if j.make != nil {
				f := &laterFile{done: make(chan struct{})}
				res.later[j.path] = f
				if !slices.Contains(res.Changed, j.path) {
					res.Changed = append(res.Changed, j.path)
				}
				go func() {
					defer close(f.done)
					// Through the same target as the rest, so that it is
					// minified as lanmu build would.
					m := output.NewMemory()
					if err := j.run(site, site.target(m)); err == nil {
						f.data = m.Files()[j.path]
					}
				}()
			}
		}
		sort.Strings(res.Changed)
	}
	stage("compare")
	res.Stages = stages
	res.Duration = time.Since(began)
	s.last, s.templates, s.lastStatic = res, templates, static
	return res, nil
}

// BuildStatic updates the last good build after changes to static/ files
// only: they are copied again and nothing else is read, so a stylesheet
// edit reaches the browser at once however large the site is.
func (s *Session) BuildStatic() (*Result, error) {
	if s.last == nil {
		return s.Build()
	}
	start := time.Now()
	s.last.settle()
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
	var out []string
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
	files := make([]string, 0, len(cs.Files))
	for f := range cs.Files {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		h.String(f).String(cs.Files[f])
	}
	return h.Sum()
}
