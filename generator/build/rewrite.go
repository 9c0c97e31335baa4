package build

import (
	"slices"
	"time"

	"lanmu/generator/content"
	"lanmu/generator/deps"
	"lanmu/generator/diag"
)

// prepared is a session's build made ready to render: the site, its jobs,
// the outputs whose reads changed, and, for a build that edited the last
// good site in place, how to put it back.
type prepared struct {
	site  *Site
	jobs  []*job
	stale map[string]bool
	undo  func()
}

// rewrite prepares the build after a save that only rewrote the text of
// pages, the editor's most common save, without loading the site again:
// the last good site is kept, the rewritten pages are converted and their
// views given the new text, and only what reads a text can have changed.
// The outputs are planned anew, which is cheap and keeps the print pages,
// feeds and pagers made from the new views. ok is false when the change is
// of any other kind, or the last build did not leave the site as the files
// are: then the site is loaded as always.
//
// The last good site is edited in place, as its views are what every
// output's data points at; undo puts it back should this build fail.
func (s *Session) rewrite(changed []string, stage func(string)) (p *prepared, ok bool) {
	last := s.last
	if !s.fresh || last == nil || s.loader == nil || s.theme == nil || s.opts.BaseURL != s.builtBase ||
		!onlyContent(last.Site.Dir, changed) {
		return nil, false
	}
	site := last.Site
	now := s.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	asOf, err := asOfDay(s.opts.AsOf, site.Config.Standards.AsOfDay, now, site.Config.Location)
	if err != nil || !asOf.Equal(site.asOf) {
		return nil, false
	}
	pages, ok := s.loader.Rewritten(changed, now)
	if !ok {
		return nil, false
	}

	saved := *site
	type savedPage struct {
		cp    *content.Page
		body  []byte
		view  Page
		entry convertEntry
	}
	var edited []savedPage
	undo := func() {
		for _, e := range slices.Backward(edited) {
			e.cp.Body = e.body
			*site.views[e.cp] = e.view
			s.converted[cacheName(e.cp)] = e.entry
		}
		*site = saved
	}
	site.results = slices.Clone(site.results)
	rewritten := map[string]bool{}
	var problems diag.List
	for _, np := range pages {
		cp := site.Content.PageByFile(np.File)
		v := site.views[cp]
		i := slices.Index(site.Content.Pages, cp)
		if cp == nil || v == nil || i < 0 {
			continue // not published: no output shows its text
		}
		edited = append(edited, savedPage{cp: cp, body: cp.Body, view: *v, entry: s.converted[cacheName(cp)]})
		cp.Body = np.Body
		res := site.convertPage(cp, &problems)
		if res == nil {
			continue
		}
		site.results[i] = res
		// A new struct: copies of the view made before share the old.
		live := liveValues{}
		if v.live != nil {
			live = *v.live
		}
		live.html, live.toc = textValues(res)
		v.live = &live
		v.setText(res)
		key := conversionKey(cp, site.linkMap, site.Config.Build.UnsafeHTML)
		s.converted[cacheName(cp)] = site.convertEntry(cp, key, res, live.html, live.toc)
		rewritten[cp.Path] = true
	}
	site.converted = len(rewritten)
	site.now = now
	site.collectMarkupWarnings()
	site.Theme.ResetCache()
	stage("rewrite")
	jobs, err := site.plan()
	if problems.Len() > 0 || err != nil {
		// A load reports these with what else it finds (see
		// problemsBeyondLoad): let it.
		undo()
		return nil, false
	}
	stage("plan")
	site.index(jobs)
	stale := s.reads.BeginSome(site.recordable(jobs), site.valueOf, func(k deps.Key) bool {
		// A page's text shows in its HTML and in its summary, table of
		// contents and counts; the print pages' data holds texts too.
		return k.Kind == readData || (k.Kind == readContent || k.Kind == readBody) && rewritten[k.Of]
	})
	stage("find stale outputs")
	return &prepared{site: site, jobs: jobs, stale: stale, undo: undo}, true
}
