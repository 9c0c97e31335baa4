// Package build turns a site folder into its output: it loads the
// configuration and content, converts the Markdown of every page in
// parallel, plans one output per URL, renders them in parallel through the
// theme's templates, and hands the files to an output target. It only
// orchestrates; each step's rules live in its own package.
package build

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"

	"lanmu/generator/config"
	"lanmu/generator/content"
	"lanmu/generator/deps"
	"lanmu/generator/diag"
	"lanmu/generator/images"
	"lanmu/generator/markup"
	"lanmu/generator/messages"
	"lanmu/generator/minify"
	"lanmu/generator/output"
	"lanmu/generator/spill"
	"lanmu/generator/standards"
	"lanmu/generator/theme"
)

// Options are the choices of one build; the zero value builds the current
// folder as its configuration says.
type Options struct {
	Source  string // the site folder; "" is the current folder
	Dest    string // the output folder; "" is Source/public
	BaseURL string // overrides baseURL in lanmu.toml
	Drafts  bool   // publish drafts (or [build] drafts)
	Future  bool   // publish pages dated in the future (or [build] future)
	Expired bool   // publish expired pages (or [build] expired)
	Minify  bool   // minify HTML, CSS, JS, JSON and XML (or [build] minify)
	// Now is the moment the future and expiry rules are judged at; the zero
	// value means the current time.
	Now time.Time
	// AsOf is the day the standards are judged at ("2016-05-25"); empty
	// means [standards] asOf, else today.
	AsOf string
	// AfterRender, when set, runs once the site is rendered and before it
	// replaces the destination; the files it returns (by site path) are
	// added to the site. lanmu build --pdf prints the PDFs here, so they
	// are swapped in with the rest or not at all.
	AfterRender func(site *Site, read func(p string) ([]byte, bool)) (map[string][]byte, error)
	// PrintPDF: this build also prints the pocket book and card sheets to
	// PDF (build --pdf, lanmu print), so pages link the PDFs. It goes with
	// an AfterRender that prints them: alone, the links would lead nowhere.
	PrintPDF bool
}

// Report says what a build produced.
type Report struct {
	Pages    int            // HTML pages rendered, lists and aliases included, WeChat copies not
	ByType   map[string]int // published regular pages per content type
	Lists    int            // list pages: home, sections, tags, further pages of each
	Aliases  int            // redirect pages for aliases
	Shorts   int            // redirect pages for short addresses, /s/CODE/
	WeChat   int            // copies for the 公众号 editor, wechat/ beside their pages
	Feeds    int            // RSS, Atom and JSON feeds
	Print    int            // print pages and PDFs
	Copied   int            // static and bundle files copied as they are
	Files    int            // every file written
	Duration time.Duration
	// Stages times the steps of the build, in order, for lanmu build
	// --verbose.
	Stages []Stage
	// Warnings are problems that do not stop the build, such as a link to
	// a missing anchor; lanmu check treats them as errors.
	Warnings []*diag.Error
}

// Stage is a step of a build and the time it took.
type Stage struct {
	Name string // in English
	Took time.Duration
	Text messages.Text // the name, kept for translation; zero for a session's stages
}

// namedStage is a stage of Build, its name in the user's language when
// printed.
func namedStage(took time.Duration, format string, args ...any) Stage {
	t := messages.Textf(format, args...)
	return Stage{Name: t.String(), Took: took, Text: t}
}

// Build renders the site and replaces the destination folder with the
// result. On any error the destination is left exactly as it was.
func Build(opts Options) (*Report, error) {
	start := time.Now()
	src := opts.Source
	if src == "" {
		src = "."
	}
	dest := opts.Dest
	if dest == "" {
		dest = filepath.Join(src, "public")
	}
	if err := output.CheckDest(src, dest); err != nil {
		return nil, err
	}
	// The pages' texts wait for their outputs in a file beside the
	// destination (see package spill); where none can be made, in memory.
	texts, err := spill.New(existingDir(filepath.Dir(dest)))
	if err == nil {
		defer texts.Close()
	}
	site, err := load(opts, nil, texts)
	if err != nil {
		return nil, err
	}
	loaded := time.Now()
	dir, err := output.Begin(dest)
	if err != nil {
		return nil, err
	}
	report, err := site.Render(dir)
	if err == nil && texts != nil {
		err = texts.Err()
	}
	rendered := time.Now()
	if err == nil && opts.AfterRender != nil {
		var extra map[string][]byte
		extra, err = opts.AfterRender(site, dir.Read)
		for p, data := range extra {
			if err == nil {
				err = dir.Write(p, data)
				report.Files++
				report.Print++
			}
		}
		report.Stages = append(report.Stages, namedStage(time.Since(rendered), "print PDFs"))
	}
	if err != nil {
		dir.Abort()
		return nil, err
	}
	committing := time.Now()
	if err := dir.Commit(); err != nil {
		return nil, err
	}
	report.Warnings = append(report.Warnings, replacedWarnings(dir.Dest(), dir.Replaced())...)
	report.Stages = append([]Stage{
		namedStage(loaded.Sub(start), "load and convert Markdown"),
		namedStage(rendered.Sub(loaded), "render and write"),
	}, append(report.Stages, namedStage(time.Since(committing), "replace %s", dest))...)
	if site.searchTook > 0 {
		// Made beside the pages, within "render and write".
		report.Stages = append(report.Stages, namedStage(site.searchTook, "of which the search index, beside the pages"))
	}
	report.Duration = time.Since(start)
	return report, nil
}

// maxReplacedWarnings is how many of the user's own files replaced by a
// build are named one by one: a first build into a folder another
// generator filled replaces thousands, and one line says how many.
const maxReplacedWarnings = 5

// replacedWarnings tells the user which of their own files in the
// destination a build replaced with its outputs, and how to publish theirs.
func replacedWarnings(dest string, replaced []string) []*diag.Error {
	var out []*diag.Error
	for i, p := range replaced {
		if i == maxReplacedWarnings {
			more := diag.Errorf(dest, 0, 0, "and %d more files that lanmu did not make were replaced by its own", len(replaced)-i)
			more.Warning = true
			out = append(out, more)
			break
		}
		mine := diag.Errorf(filepath.Join(dest, filepath.FromSlash(p)), 0, 0, "lanmu did not make this file, and replaced it with its own; to publish yours, put it at static%s", p)
		mine.Warning = true
		out = append(out, mine)
	}
	return out
}

// Site is a loaded site whose Markdown has been converted, ready to render.
type Site struct {
	Dir     string
	Config  *config.Config
	Content *content.Site
	Theme   *theme.Set

	markup *markup.Converter
	// qrCodes are the QR codes drawn, as template.HTML by address: the
	// book's covers share one, and a live session that keeps its site
	// renders the card sheet and the book again after most edits.
	qrCodes *sync.Map
	status  *standards.Report
	views   map[*content.Page]*Page
	view    *SiteView
	i18n    map[string]string
	// converted counts the pages whose Markdown this load converted.
	converted int
	// now is the moment of the build, for the pocket book's date.
	now time.Time
	// session is the live session this site was loaded for, or nil.
	session *Session
	// cards is the card sheets' layout, made once by plan for the print
	// page and the build's warnings.
	cards *CardSheets
	// images resizes photos; photos are the teachers' photos, both set
	// by plan (see images.go).
	images *images.Cache
	photos map[*content.Page]*Photo
	// sectionFeeds holds the feeds of each section's pages (see derive).
	sectionFeeds map[string][]FeedLink
	// derived holds what the views share (see derive).
	derived *derivedShared
	// markupWarnings are what the Markdown conversion found that does not
	// stop a build (raw HTML left out), at file positions, for the
	// report's warnings.
	markupWarnings []*diag.Error
	// standardsWarnings are the dates of standards' tasks far enough from
	// the as-of day to be worth a second look (see standards.Check).
	standardsWarnings []*diag.Error
	// printPDF is Options.PrintPDF: pages link the PDFs only when they
	// are printed.
	printPDF bool
	// jobs are the planned outputs by path, for a live session's reads of
	// outputs' data, and planned the same in order.
	jobs    map[string]*job
	planned []*job
	// results are the conversions of Content.Pages, in order (nil where
	// one failed), and linkMap the hash of the link targets they were
	// made with, which a live session keeps for the next save.
	results []*markup.Result
	linkMap uint64
	// asOf is the day the standards were judged at.
	asOf time.Time
	// texts holds the pages' HTML and plain text in a one-off build (see
	// package spill); nil keeps them in the views.
	texts *spill.Store
	// searchTook is how long the search index took to make, beside the
	// pages, for lanmu build --verbose.
	searchTook time.Duration
}

// Load reads and checks everything a build needs and converts the Markdown
// of every page. It reports every problem found, as a *diag.Errors.
func Load(opts Options) (*Site, error) { return load(opts, nil, nil) }

// existingDir returns dir, or the nearest folder above it that exists.
func existingDir(dir string) string {
	for {
		if info, err := os.Stat(dir); err == nil && info.IsDir() {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// load is Load, reusing the conversions a session kept when it has one.
func load(opts Options, session *Session, texts *spill.Store) (*Site, error) {
	src := opts.Source
	if src == "" {
		src = "."
	}
	cfg, err := config.Load(src)
	if err != nil {
		return nil, err
	}
	if opts.BaseURL != "" {
		if err := cfg.SetBaseURL(opts.BaseURL); err != nil {
			return nil, err
		}
	}
	cfg.Build.Minify = cfg.Build.Minify || opts.Minify
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	var problems diag.List
	copts := content.Options{
		Drafts:  opts.Drafts || cfg.Build.Drafts,
		Future:  opts.Future || cfg.Build.Future,
		Expired: opts.Expired || cfg.Build.Expired,
		Now:     now,
	}
	var cs *content.Site
	if session != nil {
		// A live session reads again only the files the watcher named.
		if session.loader == nil {
			session.loader = content.NewLoader(src, copts)
		}
		session.loader.SetOptions(copts)
		cs, err = session.loader.Load(cfg, session.changed)
	} else {
		// A one-off build converts every page once: its Markdown waits
		// with the texts, out of the heap, until then.
		copts.Bodies = texts
		cs, err = content.Load(src, cfg, copts)
	}
	problems.Add(err)
	s := &Site{Dir: src, Config: cfg, Content: cs, now: now, session: session, printPDF: opts.PrintPDF, texts: texts, qrCodes: new(sync.Map)}
	themeFailed := false
	if session != nil && session.theme != nil && onlyContent(src, session.changed) {
		// Neither templates nor strings nor lanmu.toml changed: the
		// session's parsed templates serve the new site.
		s.Theme, s.i18n = session.theme, session.i18n
		s.Theme.ResetCache()
		session.funcSite.site = s
	} else {
		fs := &funcSite{site: s}
		s.Theme, err = theme.Load(src, cfg.Theme, fs.funcs())
		themeFailed = err != nil
		problems.Add(err)
		if s.Theme != nil {
			// A one-off build keeps each page's list entry with its texts.
			s.Theme.Spill = texts
			s.i18n, err = loadI18n(src, cfg.Language, s.Theme.I18n)
			themeFailed = themeFailed || err != nil
			problems.Add(err)
		}
		if session != nil {
			session.theme, session.i18n, session.funcSite = nil, nil, nil
			if !themeFailed {
				session.theme, session.i18n, session.funcSite = s.Theme, s.i18n, fs
			}
		}
	}
	// Problems in the content do not stop here: content.Load keeps a page
	// with a bad field, so that the standards and the Markdown (links,
	// raw HTML) are checked in the same run, and an editor fixes
	// everything in one round. Only a site that could not be read at all,
	// or a theme that cannot render, ends the run now.
	if cs == nil || s.Theme == nil || themeFailed {
		return nil, problems.Err()
	}
	asOf, err := asOfDay(opts.AsOf, cfg.Standards.AsOfDay, now, cfg.Location)
	if err != nil {
		problems.Add(err)
		return nil, problems.Err()
	}
	s.asOf = asOf
	s.evaluateStandards(asOf, &problems)
	s.markup = markup.New(markup.Options{Unsafe: cfg.Build.UnsafeHTML})
	s.convert(&problems, session)
	if problems.Len() > 0 {
		s.problemsBeyondLoad(&problems)
		return nil, problems.Err()
	}
	return s, nil
}

// onlyContent reports whether every changed path lies in the site's
// content/ folder; nil (everything may have changed) does not.
func onlyContent(src string, changed []string) bool {
	if changed == nil {
		return false
	}
	root, err := filepath.Abs(filepath.Join(src, content.Dir))
	if err != nil {
		return false
	}
	for _, c := range changed {
		if !filepath.IsAbs(c) {
			c = filepath.Join(src, c)
		}
		c, err := filepath.Abs(c)
		if err != nil {
			return false
		}
		if rel, err := filepath.Rel(root, c); err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return false
		}
	}
	return true
}

// problemsBeyondLoad adds, to the problems of a load that failed, those a
// build would find next: the errors of planning the outputs (photos, two
// outputs on one path), and, as warnings, the links written in the
// Markdown to paths the site would not have, along with the warnings of
// the conversion. An editor then fixes everything in one round instead of
// meeting these only after the first errors are gone. Anchors are not
// checked: that needs the rendered pages.
func (s *Site) problemsBeyondLoad(problems *diag.List) {
	jobs, err := s.plan()
	problems.Add(err)
	warnings := s.markupWarnings
	// With a page left unread, a link to it would look broken.
	if jobs != nil && !s.Content.Unreadable() {
		warnings = append(warnings, s.contentLinkProblems(s.linkSite(jobs, nil))...)
	}
	for _, w := range warnings {
		problems.Add(&diag.Error{Path: w.Path, Line: w.Line, Col: w.Col, Msg: w.Msg, Text: w.Text, Warning: true})
	}
}

// convert renders the Markdown of every page in parallel and builds the
// template views. With a session, pages whose conversion key is unchanged
// reuse the session's result.
func (s *Site) convert(problems *diag.List, session *Session) {
	pages := s.Content.Pages
	results := make([]*markup.Result, len(pages))
	keys := make([]uint64, len(pages))
	var refs []textRefs
	if s.texts != nil {
		refs = make([]textRefs, len(pages))
	}
	// A live session compares what templates read of each page's text
	// after every save: its hash is taken once, when it is converted.
	var htmlValues, tocValues []deps.Value
	if session != nil {
		htmlValues = make([]deps.Value, len(pages))
		tocValues = make([]deps.Value, len(pages))
	}
	var todo []int
	if session != nil {
		links := linkMapHash(s.Content)
		s.linkMap = links
		for i, p := range pages {
			e, ok := session.converted[cacheName(p)]
			if ok && e.body == unsafe.SliceData(p.Body) && e.n == len(p.Body) && e.links == links &&
				e.path == p.Path && e.unsafe == s.Config.Build.UnsafeHTML {
				keys[i], results[i], htmlValues[i], tocValues[i] = e.key, e.result, e.html, e.toc
				continue
			}
			keys[i] = conversionKey(p, links, s.Config.Build.UnsafeHTML)
			if ok && e.key == keys[i] {
				results[i], htmlValues[i], tocValues[i] = e.result, e.html, e.toc
				continue
			}
			todo = append(todo, i)
		}
	} else {
		todo = make([]int, len(pages))
		for i := range todo {
			todo[i] = i
		}
	}
	s.converted = len(todo)
	parallel(len(todo), func(k int) {
		i := todo[k]
		p := pages[i]
		res := s.convertPage(p, problems)
		if res == nil {
			return
		}
		results[i] = res
		if htmlValues != nil {
			htmlValues[i], tocValues[i] = textValues(res)
		}
		if s.texts != nil {
			// Out of the heap at once, so that the site's texts are
			// never all in memory together.
			var err error
			refs[i], err = spillText(s.texts, res)
			if err != nil {
				problems.Addf(p.File, p.BodyLine, 1, "%v", err)
			}
			res.HTML, res.Text, res.Summary, res.TOC, res.Links = "", "", "", nil, nil
		}
		if session == nil {
			// A one-off build is done with the Markdown; a live session
			// keeps it to tell which pages an edit changed.
			p.Body = nil
		}
	})
	if session != nil && problems.Len() == 0 {
		// The cache holds this site's pages only: a page deleted or renamed
		// since is forgotten, or a long session would keep every version
		// of the site it ever saw.
		kept := make(map[string]convertEntry, len(pages))
		for i, p := range pages {
			if results[i] != nil {
				kept[cacheName(p)] = s.convertEntry(p, keys[i], results[i], htmlValues[i], tocValues[i])
			}
		}
		session.converted = kept
	}
	s.results = results
	s.collectMarkupWarnings()
	s.buildViews(results, htmlValues, tocValues, refs)
	if session == nil {
		// A one-off build lets go of the texts the results hold (the
		// search index takes them from the views, and frees them).
		s.results = nil
	}
}

// convertEntry is what a session's conversion cache keeps of a page
// converted with this site's link targets.
func (s *Site) convertEntry(p *content.Page, key uint64, res *markup.Result, html, toc deps.Value) convertEntry {
	return convertEntry{key: key, result: res, html: html, toc: toc, body: unsafe.SliceData(p.Body), n: len(p.Body),
		links: s.linkMap, path: p.Path, unsafe: s.Config.Build.UnsafeHTML}
}

// convertPage converts one page's Markdown, adding what stops the build
// to problems; nil when it could not be converted.
func (s *Site) convertPage(p *content.Page, problems *diag.List) *markup.Result {
	res, err := s.markup.Convert(p.Markdown(), func(dest string) (string, error) {
		return s.Content.ResolveLink(p, dest)
	})
	if err != nil {
		problems.Addf(p.File, p.BodyLine, 1, "%v", err)
		return nil
	}
	for _, pr := range res.Problems {
		problems.Add(diag.At(p.File, pr.Line+p.BodyLine-1, pr.Col, pr.Text))
	}
	return res
}

// textValues are the values of what templates read of a converted text:
// its HTML (readContent), and its table of contents (part of readBody).
func textValues(res *markup.Result) (html, toc deps.Value) {
	return deps.NewHasher().String(res.HTML).Sum(), tocValue(res.TOC)
}

// collectMarkupWarnings gathers the conversions' warnings, page by page.
func (s *Site) collectMarkupWarnings() {
	s.markupWarnings = nil
	for i, res := range s.results {
		if res == nil {
			continue
		}
		p := s.Content.Pages[i]
		for _, w := range res.Warnings {
			s.markupWarnings = append(s.markupWarnings, diag.At(p.File, w.Line+p.BodyLine-1, w.Col, w.Text))
		}
	}
}

// cacheName names a page in the conversion cache: its file, or its path for
// the pages lanmu makes (sections without _index.md, taxonomies).
func cacheName(p *content.Page) string {
	if p.File != "" {
		return p.File
	}
	return "path:" + p.Path
}

// parallel calls fn for 0..n-1 on as many goroutines as the machine has
// cores.
func parallel(n int, fn func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				fn(i)
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}

// Render writes every output of the site to target.
func (s *Site) Render(target output.Target) (*Report, error) {
	jobs, err := s.plan()
	if err != nil {
		return nil, err
	}
	target = s.target(target)
	var problems diag.List
	parallel(len(jobs), func(i int) {
		problems.Add(jobs[i].run(s, target))
	})
	if err := problems.Err(); err != nil {
		return nil, err
	}
	report := &Report{ByType: map[string]int{}, Files: len(jobs)}
	alias := s.Theme.Lookup("alias.html")
	weChat := s.Theme.Lookup("wechat.html")
	for _, j := range jobs {
		r, rendered := j.make.(rendered)
		if rendered && r.layout != weChat {
			report.Pages++
		}
		_, copy := j.make.(copied)
		_, list := r.data.(listPage)
		switch {
		case strings.HasPrefix(j.path, "/print/"):
			report.Print++
		case copy:
			report.Copied++
		case isFeed(j.path):
			report.Feeds++
		case j.path == shortIndex:
			for _, p := range s.Content.Pages {
				if p.ShortPath != "" {
					report.Shorts++
				}
			}
			report.Files += report.Shorts
		case rendered && r.layout == alias:
			report.Aliases++
		case rendered && r.layout == weChat:
			report.WeChat++
		case list:
			report.Lists++
		}
	}
	for _, p := range s.Content.RegularPages() {
		report.ByType[string(p.Type)]++
	}
	var read func(string) ([]byte, bool)
	if r, ok := target.(reader); ok {
		read = r.Read
	}
	report.Warnings = s.warnings(jobs, read)
	return report, nil
}

// warnings are the problems of a rendered site that do not stop a build,
// the same for lanmu build and the live preview. read returns a rendered
// output, to check #fragments against; nil skips that check.
func (s *Site) warnings(jobs []*job, read func(string) ([]byte, bool)) []*diag.Error {
	var out []*diag.Error
	if cards := s.cards; cards != nil {
		for _, c := range cards.TooLong {
			out = append(out, diag.Errorf(c.File, 0, 0, "the card's back is too long to print legibly on a %g×%gmm card; it is printed small and marked (shorten it)", cards.Card.Width, cards.Card.Height))
		}
	}
	out = append(out, s.markupWarnings...)
	out = append(out, s.standardsWarnings...)
	out = append(out, s.contentLinkProblems(s.linkSite(jobs, read))...)
	out = append(out, s.undatedFeedItems()...)
	return append(out, s.imageWarnings()...)
}

// target is where the site's files go: to, through the minifier when the
// site asks for minified output, so that build and the live preview write
// the same bytes.
func (s *Site) target(to output.Target) output.Target {
	if s.Config.Build.Minify {
		return minify.Target{Target: to, Minifier: minify.New()}
	}
	return to
}

// buffers are reused across renders: a page's HTML is written out before
// its buffer goes back, and pages are of similar size, so the pool saves
// growing a fresh buffer for each of thousands of pages.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// outputFile is the file a page path is written to.
func outputFile(p string) string {
	if strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}
