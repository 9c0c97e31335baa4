// Package preview runs lanmu serve: it builds the site into memory through
// a build session, serves it, watches the sources, and after every burst of
// saves rebuilds what changed and tells the browsers. A failed build keeps
// the last good site on screen with the errors laid over it.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"lanmu/generator/build"
	"lanmu/generator/config"
	"lanmu/generator/content"
	"lanmu/generator/diag"
	"lanmu/generator/editor"
	"lanmu/generator/messages"
	"lanmu/generator/serve"
	"lanmu/generator/watch"
)

// Options are lanmu serve's flags.
type Options struct {
	Source   string // the site folder; "" is the current folder
	Bind     string // the address to listen on; "" is 127.0.0.1
	Port     int    // 0 asks the system for any free port (tests)
	NextPort bool   // when the port is taken, use the next free one
	Drafts   bool
	Future   bool
	AsOf     string
	Stdout   io.Writer
	Stderr   io.Writer
	// Ready, when set, receives the URL to open once the site is served
	// (tests use it instead of reading the terminal).
	Ready func(url string)
	// ForcePolling watches by polling (see watch.Options).
	ForcePolling bool
	// Say speaks the user's language (see package messages); nil is
	// English.
	Say *messages.Printer
	// Edit adds the editing interface (package editor) at
	// serve.EditPath, and shows drafts, which editors need to see.
	// EditPassword, when set, must be given before editing starts.
	Edit         bool
	EditPassword string
	// EditReady, when set, receives the editing address, token and all,
	// once the site is served.
	EditReady func(url string)
}

// Run serves the site until ctx is cancelled.
func Run(ctx context.Context, opts Options) error {
	if opts.Say == nil {
		opts.Say = messages.For(messages.English)
	}
	src := opts.Source
	if src == "" {
		src = "."
	}
	cfg, err := config.Load(src)
	if err != nil {
		return err
	}
	bind, port := opts.Bind, opts.Port
	if bind == "" {
		bind = "127.0.0.1"
	}
	ln, err := serve.Listen(bind, port, opts.NextPort)
	if err != nil {
		return err
	}
	addr := ln.Addr().(*net.TCPAddr)
	host := bind
	if host == "0.0.0.0" || host == "::" || host == "" {
		host = "127.0.0.1"
	}
	// Absolute links (canonical, feeds) point at the preview, under the
	// same base path as the published site.
	origin := "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
	baseURL := origin + cfg.BasePath
	session := build.NewSession(build.Options{
		Source: src, BaseURL: baseURL, Drafts: opts.Drafts || opts.Edit, Future: opts.Future, AsOf: opts.AsOf,
	})
	// The pages the browsers show come first after each save; the search
	// index and the other pages follow a moment later, and a request for
	// one of them waits until it is made.
	session.Defer = true
	p := &previewer{opts: opts, src: src, session: session, origin: origin, basePath: cfg.BasePath}
	serveOpts := serve.Options{BasePath: cfg.BasePath, Bind: opts.Bind, Logf: func(f string, a ...any) { fmt.Fprintln(opts.Stderr, opts.Say.Text(messages.Textf(f, a...))) }}
	var editURL string
	if opts.Edit {
		token := editor.NewToken()
		editURL = origin + serve.EditPath + "session?token=" + token
		ed, err := editor.New(editor.Options{Site: src, Token: token, Say: opts.Say, Password: opts.EditPassword, Pages: p.editablePages, Build: p.lastBuild, LinksTo: p.linksTo,
			Render: p.renderBody, Stylesheets: p.stylesheets})
		if err != nil {
			ln.Close()
			return err
		}
		serveOpts.Edit = ed.Handler()
	}
	srv := serve.New(serveOpts)
	session.First = srv.Shown
	p.server = srv

	// Watch before the first build: a file saved while it runs (on a large
	// site that takes a while) then still triggers a build of its own.
	w, err := watch.New(watch.Options{
		Roots:        watchedRoots(src),
		Files:        []string{filepath.Join(src, config.FileName)},
		Ignore:       watch.IgnoredName,
		ForcePolling: opts.ForcePolling,
		Logf:         func(f string, a ...any) { fmt.Fprintln(opts.Stderr, "lanmu: "+opts.Say.Text(messages.Textf(f, a...))) },
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer w.Close()
	p.rebuild(nil)

	url := baseURL
	fmt.Fprintln(opts.Stdout, opts.Say.Sprintf("Serving %s at %s", filepath.Clean(src), url))
	fmt.Fprintln(opts.Stdout, opts.Say.Sprintf("Watching for changes; press Ctrl+C to stop."))
	if opts.Edit {
		fmt.Fprintln(opts.Stdout, opts.Say.Sprintf("Edit the column at %s (the address holds this session's key: do not share it)", editURL))
		if opts.EditReady != nil {
			opts.EditReady(editURL)
		}
	}
	if opts.Ready != nil {
		opts.Ready(url)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	for {
		select {
		case batch, ok := <-w.Batches():
			if !ok {
				return <-served
			}
			p.rebuild(batch.Paths)
		case err := <-served:
			return err
		case <-ctx.Done():
			return <-served
		}
	}
}

// watchedRoots are the folders a site is made from. Every theme is
// watched, not only the one in use: lanmu.toml may switch to another.
func watchedRoots(src string) []string {
	var roots []string
	for _, dir := range []string{content.Dir, "layouts", "static", "i18n", "archetypes", "themes"} {
		roots = append(roots, filepath.Join(src, dir))
	}
	return roots
}

type previewer struct {
	opts    Options
	src     string
	session *build.Session
	server  *serve.Server
	// built is what the editing interface reads of the last build that
	// succeeded, kept as one so that its parts are of the same build;
	// problems are the last build's, successful or not.
	built    atomic.Pointer[builtSite]
	problems atomic.Pointer[editor.Build]
	// reading are the versions of the files the build under way read
	// again, by site-relative path; only the build loop touches it.
	reading map[string]string
	// origin is where the server listens ("http://127.0.0.1:1313") and
	// basePath the site's base path below it, which lanmu.toml may change
	// while the preview runs.
	origin, basePath string
}

// rebuild builds again after a change and publishes the result or the
// errors.
func (p *previewer) rebuild(changed []string) {
	build := func() (*build.Result, error) { return p.session.Update(changed) }
	if len(changed) > 0 && p.onlyStatic(changed) {
		build = p.session.BuildStatic
	}
	p.followBasePath()
	p.noteReading(changed)
	res, err := build()
	if err != nil {
		problems := diag.Of(err)
		p.print(problems, false)
		p.server.ShowErrors(p.overlay(problems))
		p.keepProblems(problems)
		return
	}
	p.server.Publish(res.Files, serve.Change{Paths: res.Changed, BasePath: p.basePath, Later: res.Later(), Unnamed: res.Unnamed()})
	// The pages no browser shows may still be rendering: the browsers have
	// theirs, and the next save waits for the rest anyway. A page that
	// fails among them fails the build after all.
	if err := res.Wait(); err != nil {
		problems := diag.Of(err)
		p.print(problems, false)
		p.server.ShowErrors(p.overlay(problems))
		p.keepProblems(problems)
		return
	}
	// What lanmu build would warn about, it says here too, after every
	// save, so an editor sees a broken anchor or pasted HTML at once.
	// After the pages the browsers wait for, and once the later ones are
	// made too: the links are read from the same texts.
	p.keepPages(res.Site)
	p.print(res.Warnings, true)
	p.keepProblems(res.Warnings)
	if changed != nil {
		fmt.Fprintln(p.opts.Stdout, p.opts.Say.Sprintf("%s rebuilt in %v: %d changed, %d rendered, %d converted (%s)",
			time.Now().Format("15:04:05"), res.Duration.Round(time.Millisecond), len(res.Changed), res.Rendered, res.Converted, describe(p.opts.Say, p.src, changed)))
	} else {
		fmt.Fprintln(p.opts.Stdout, p.opts.Say.Sprintf("Built %d files in %v", len(res.Files), res.Duration.Round(time.Millisecond)))
	}
}

// followBasePath builds for lanmu.toml's base path when it gives the site
// another one; the next published build is then served there, so that it
// is where its links point. A lanmu.toml that does not load is left to the
// build to report.
func (p *previewer) followBasePath() {
	cfg, err := config.Load(p.src)
	if err != nil || cfg.BasePath == p.basePath {
		return
	}
	p.basePath = cfg.BasePath
	p.session.SetBaseURL(p.origin + cfg.BasePath)
	fmt.Fprintln(p.opts.Stdout, p.opts.Say.Sprintf("The site's base path is now %s: serving at %s%s", cfg.BasePath, p.origin, cfg.BasePath))
}

// print writes problems to the terminal as lanmu build does: one a line,
// path:line:col first, a warning (or every one, with warnings) marked as
// one.
func (p *previewer) print(problems []*diag.Error, warnings bool) {
	for _, pr := range problems {
		if warnings || pr.Warning {
			fmt.Fprint(p.opts.Stderr, p.opts.Say.Sprintf("warning: "))
		}
		fmt.Fprintln(p.opts.Stderr, pr.In(p.opts.Say))
	}
}

// onlyStatic reports whether every changed path lies in a static/ folder
// (the site's or a theme's), which needs no rebuild of pages.
func (p *previewer) onlyStatic(changed []string) bool {
	src, err := filepath.Abs(p.src)
	if err != nil {
		return false
	}
	roots := []string{filepath.Join(src, "static")}
	if matches, _ := filepath.Glob(filepath.Join(src, "themes", "*", "static")); len(matches) > 0 {
		roots = append(roots, matches...)
	}
	for _, c := range changed {
		inside := false
		for _, r := range roots {
			if rel, err := filepath.Rel(r, c); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
				inside = true
			}
		}
		if !inside {
			return false
		}
	}
	return true
}

// describe names the saved files briefly for the terminal.
func describe(say *messages.Printer, src string, paths []string) string {
	var names []string
	for i, p := range paths {
		if i == 3 {
			names = append(names, say.Sprintf("and %d more", len(paths)-3))
			break
		}
		if rel, err := filepath.Rel(src, p); err == nil {
			p = rel
		}
		names = append(names, filepath.ToSlash(p))
	}
	return strings.Join(names, ", ")
}

// overlay turns build errors into the overlay's problems, each with the
// source lines around it.
func (p *previewer) overlay(problems []*diag.Error) []serve.Problem {
	out := make([]serve.Problem, 0, len(problems))
	for _, pr := range problems {
		out = append(out, serve.Problem{File: pr.Path, Line: pr.Line, Col: pr.Col, Msg: pr.Message(p.opts.Say), Warning: pr.Warning, Source: excerpt(p.src, pr.Path, pr.Line, 3)})
	}
	return out
}

// excerpt returns the lines of a source file around line, the line itself
// marked.
func excerpt(src, file string, line, around int) []serve.SourceLine {
	if file == "" || line <= 0 {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(file)))
	if err != nil {
		return nil // a file that cannot be read just has no excerpt
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []serve.SourceLine
	for n := max(1, line-around); n <= min(len(lines), line+around); n++ {
		out = append(out, serve.SourceLine{N: n, Text: lines[n-1], Error: n == line})
	}
	return out
}

// builtSite is a successful build as the editing interface sees it: the
// site, whose converter the view beside the text uses, its pages, and the
// pages linking to each.
type builtSite struct {
	site     *build.Site
	pages    []editor.Page
	incoming map[string][]string
}

// keepPages keeps the pages a build found, for the editing interface.
func (p *previewer) keepPages(site *build.Site) {
	if !p.opts.Edit || site == nil {
		return
	}
	p.built.Store(&builtSite{site: site, pages: EditorPages(site), incoming: site.IncomingLinks()})
}

// EditorPages are a build's pages as the editing interface lists them and
// offers them to its forms. It is the work serve --edit adds to every
// rebuild, with the site's incoming links; bench/stages -edit times both.
func EditorPages(site *build.Site) []editor.Page {
	var pages []editor.Page
	for _, cp := range site.Content.Pages {
		if cp.Kind == content.KindPage && cp.File != "" {
			ep := editor.Page{File: cp.File, Title: cp.Title, Kind: string(cp.Type), Date: cp.Date, Draft: cp.Draft, URL: cp.RelPermalink,
				Slug: cp.Slug, Section: cp.Section, Tags: cp.Tags, Photo: site.PhotoThumb(cp)}
			if cp.Card != nil {
				ep.Deck = cp.Card.Deck
			}
			pages = append(pages, ep)
		}
	}
	return pages
}

// renderBody converts a page's Markdown with the last build's converter.
func (p *previewer) renderBody(file string, markdown []byte) (string, error) {
	b := p.built.Load()
	if b == nil {
		return "", errors.New(p.opts.Say.Sprintf("the preview has not built the site yet"))
	}
	return b.site.RenderBody(file, markdown)
}

// stylesheets are the theme's style sheets, where the preview serves them.
func (p *previewer) stylesheets() []string {
	b := p.built.Load()
	if b == nil {
		return nil
	}
	return []string{b.site.RelURL("/css/lanmu.css")}
}

// linksTo lists the files of the pages that link to the page in file.
func (p *previewer) linksTo(file string) []string {
	if b := p.built.Load(); b != nil {
		return b.incoming[file]
	}
	return nil
}

// editablePages are the pages the editing interface lists.
func (p *previewer) editablePages() []editor.Page {
	if b := p.built.Load(); b != nil {
		return b.pages
	}
	return nil
}

// keepProblems keeps a build's problems, or its warnings, for the editing
// interface, with the versions of the files it read again.
func (p *previewer) keepProblems(problems []*diag.Error) {
	if !p.opts.Edit {
		return
	}
	next := &editor.Build{Read: map[string]string{}}
	if last := p.problems.Load(); last != nil {
		maps.Copy(next.Read, last.Read)
	}
	maps.Copy(next.Read, p.reading)
	for _, pr := range problems {
		next.Problems = append(next.Problems, editor.Problem{File: pr.Path, Line: pr.Line, Col: pr.Col, Message: pr.Message(p.opts.Say), Warning: pr.Warning})
	}
	p.problems.Store(next)
}

// noteReading notes the versions of the changed files a build is about to
// read, before it reads them: a save after this moment sets off another
// build.
func (p *previewer) noteReading(changed []string) {
	if !p.opts.Edit {
		return
	}
	p.reading = map[string]string{}
	src, err := filepath.Abs(p.src)
	if err != nil {
		return
	}
	for _, c := range changed {
		c, err := filepath.Abs(c)
		if err != nil {
			continue
		}
		rel, err := filepath.Rel(src, c)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		if data, err := os.ReadFile(c); err == nil {
			p.reading[filepath.ToSlash(rel)] = editor.Version(data)
		}
	}
}

// lastBuild is what the editing interface knows of the last build.
func (p *previewer) lastBuild() editor.Build {
	if last := p.problems.Load(); last != nil {
		return *last
	}
	return editor.Build{}
}
