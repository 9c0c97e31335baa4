package build

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// The tests here measure the built example column in headless Chromium at
// a phone's width (390 px) and a laptop's (1366 px), in both themes: what a
// reader sees, not what the HTML says it should look like.

var layoutWidths = []int64{390, 1366}

// serveTheme builds the example column with a theme and serves it at its
// base path on 127.0.0.1, returning the site's URL.
func serveTheme(t *testing.T, theme string) string {
	t.Helper()
	site := testsite.CopyExample(t, exampleSite, func(c string) string {
		return strings.Replace(c, `theme    = "default"`, `theme    = "`+theme+`"`, 1)
	})
	dest := filepath.Join(site, "public")
	if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/xxjy", http.FileServer(http.Dir(dest))))
	t.Cleanup(srv.Close)
	return srv.URL + "/xxjy/"
}

// browserPage drives one tab: it opens pages at a width and evaluates
// expressions in them.
type browserPage struct {
	t   *testing.T
	ctx context.Context
}

func (b browserPage) open(url string, width int64) {
	b.t.Helper()
	err := chromedp.Do(b.ctx,
		chromedp.EmulateViewport(width, 900),
		chromedp.Navigate(url),
		chromedp.WaitReady(chromedp.CSS("body")),
	)
	if err != nil {
		b.t.Fatalf("opening %s at %d px: %v", url, width, err)
	}
	// Web fonts are local, but layout is only final once they are in.
	b.eval(`document.fonts.ready.then(() => true)`, new(bool))
}

func (b browserPage) eval(expr string, out any) {
	b.t.Helper()
	var err error
	switch o := out.(type) {
	case *bool:
		*o, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
	case *int:
		*o, err = chromedp.Run(b.ctx, chromedp.Evaluate[int](expr, chromedp.EvalAwaitPromise))
	case *string:
		*o, err = chromedp.Run(b.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	case *[]string:
		*o, err = chromedp.Run(b.ctx, chromedp.Evaluate[[]string](expr, chromedp.EvalAwaitPromise))
	default:
		b.t.Fatalf("eval into %T", out)
	}
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
}

// lastLines is a script that returns, for each element matching its
// selector, the text of the element's last line as laid out, found by
// measuring every character's box: "text|last line".
const lastLines = `(sel) => Array.from(document.querySelectorAll(sel)).filter(el => el.getClientRects().length).map(el => {
  const lines = [], range = document.createRange();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (let i = 0; i < n.data.length; i++) {
      if (/\s/.test(n.data[i])) continue;
      range.setStart(n, i); range.setEnd(n, i + 1);
      const r = range.getClientRects()[0];
      if (!r || !r.width) continue;
      const line = lines[lines.length - 1];
      if (!line || r.top >= line.bottom - 2) lines.push({ bottom: r.bottom, text: n.data[i] });
      else { line.text += n.data[i]; line.bottom = Math.max(line.bottom, r.bottom); }
    }
  }
  return el.textContent.replace(/\s+/g, "") + "|" + (lines.length > 1 ? lines[lines.length - 1].text : "");
})`

// TestHeadingsNeverEndOnOneCharacter opens every class, standard and
// reading of the example, and the status page, and measures the last line
// of each title and content heading: it never holds a single character.
// It measures twice, the second time with text-wrap: balance switched off,
// so the no-wrap fallback for older browsers is tested as well.
func TestHeadingsNeverEndOnOneCharacter(t *testing.T) {
	ctx := chrome.New(t, 4*time.Minute)
	b := browserPage{t, ctx}
	for _, theme := range []string{"default", "ink"} {
		site := serveTheme(t, theme)
		s, err := Load(Options{Source: exampleSite})
		if err != nil {
			t.Fatal(err)
		}
		urls := []string{"standards/"}
		for _, p := range s.view.regularPages {
			if sec := p.Section; sec == "classes" || sec == "standards" || sec == "readings" {
				urls = append(urls, strings.TrimPrefix(p.RelPermalink, "/xxjy/"))
			}
		}
		const headings = ".article__title, .list__title, .profile__name, .prose h1, .prose h2, .prose h3, .flipcard__question"
		checked := 0
		for _, width := range layoutWidths {
			for _, balance := range []bool{true, false} {
				for _, u := range urls {
					b.open(site+u, width)
					if !balance {
						b.eval(`(() => { const s = document.createElement("style"); s.textContent = "*{text-wrap-style: auto !important}"; document.head.append(s); return document.body.offsetHeight > 0 })()`, new(bool))
					}
					var got []string
					b.eval(`(`+lastLines+`)(`+fmt.Sprintf("%q", headings)+`)`, &got)
					for _, g := range got {
						text, last, _ := strings.Cut(g, "|")
						checked++
						if len([]rune(text)) > 1 && len([]rune(last)) == 1 {
							t.Errorf("%s %s at %d px (balance %v): the heading %q ends on a line holding only %q", theme, u, width, balance, text, last)
						}
					}
				}
			}
		}
		if checked < 200 {
			t.Errorf("%s: only %d headings measured; the pages did not load?", theme, checked)
		}
	}
}

// TestStandardsPagesLayout measures the status page and a standard page:
// dates never break inside, the task table stacks its cells on a phone and
// stays a table on a laptop and on paper, the status page is short on a
// phone, and no two timeline marks or month labels overlap.
func TestStandardsPagesLayout(t *testing.T) {
	ctx := chrome.New(t, 3*time.Minute)
	b := browserPage{t, ctx}
	for _, theme := range []string{"default", "ink"} {
		site := serveTheme(t, theme)
		for _, width := range layoutWidths {
			at := fmt.Sprintf("%s at %d px", theme, width)
			for _, u := range []string{"standards/", "standards/01-zhunbei-dongyuan/", "standards/03-zhuanti-xuexi/"} {
				b.open(site+u, width)
				// Every date is one line box, and the dates are there.
				var broken []string
				b.eval(`Array.from(document.querySelectorAll(".date")).filter(d => d.getClientRects().length > 1).map(d => d.textContent)`, &broken)
				if len(broken) > 0 {
					t.Errorf("%s %s: dates broken across lines: %q", at, u, broken)
				}
				var dates int
				b.eval(`(b => { document.querySelectorAll("details").forEach(d => d.open = true); return document.querySelectorAll(".date").length })()`, &dates)
				if dates < 5 {
					t.Errorf("%s %s: %d dates marked as dates", at, u, dates)
				}
				if len(broken) == 0 {
					b.eval(`Array.from(document.querySelectorAll(".date")).filter(d => d.getClientRects().length > 1).map(d => d.textContent)`, &broken)
					if len(broken) > 0 {
						t.Errorf("%s %s: with every standard open, dates broken across lines: %q", at, u, broken)
					}
				}
				// On a phone each task is a block as wide as the column, its
				// cells one under another; otherwise a real four-column row.
				var cells string
				b.eval(`(() => {
  const row = document.querySelector(".tasks__table tbody tr"), col = row.closest(".table-scroll").getBoundingClientRect().width;
  const cells = Array.from(row.children).map(c => c.getBoundingClientRect());
  const stacked = cells.every((c, i) => i == 0 || c.top >= cells[i - 1].bottom - 1);
  const narrowest = Math.min(...cells.map(c => c.width));
  return getComputedStyle(row.children[1]).display + " " + (stacked ? "stacked" : "side-by-side") + " " + Math.round(narrowest / col * 100) + " " + row.children[1].textContent.trim().length + " " + (document.documentElement.scrollWidth <= innerWidth);
})()`, &cells)
				f := strings.Fields(cells)
				if len(f) != 5 {
					t.Fatalf("%s %s: measured %q", at, u, cells)
				}
				if narrowest, _ := strconv.Atoi(f[2]); width < 600 && (f[0] != "block" || f[1] != "stacked" || narrowest < 80) {
					t.Errorf("%s %s: the first task's cells are %s (display, layout, narrowest %% of column); want stacked blocks", at, u, cells)
				}
				if width > 600 && (f[0] != "table-cell" || f[1] != "side-by-side") {
					t.Errorf("%s %s: the first task's cells are %s; want a table row", at, u, cells)
				}
				if f[4] != "true" {
					t.Errorf("%s %s: the page scrolls sideways", at, u)
				}
			}

			b.open(site+"standards/", width)
			var height int
			b.eval(`document.documentElement.scrollHeight`, &height)
			// Before the tasks folded under each standard the page was
			// 13,000 px tall on a phone.
			if limit := 4000; height > limit {
				t.Errorf("%s: the status page is %d px tall, want at most %d", at, height, limit)
			}
			var overlaps []string
			b.eval(`(() => {
  const boxes = sel => Array.from(document.querySelectorAll(sel)).map(e => [e, e.getBoundingClientRect()]);
  const out = [];
  for (const sel of [".timeline__mark", ".timeline__grid text"]) {
    const bs = boxes(sel);
    for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) {
      const [a, ra] = bs[i], [b, rb] = bs[j];
      if (ra.left < rb.right - 0.5 && rb.left < ra.right - 0.5 && ra.top < rb.bottom - 0.5 && rb.top < ra.bottom - 0.5)
        out.push((a.closest("a")?.textContent || a.textContent) + " / " + (b.closest("a")?.textContent || b.textContent));
    }
  }
  const marks = boxes(".timeline__mark");
  if (marks.length < 50) out.push("only " + marks.length + " marks");
  const small = marks.filter(([, r]) => r.width < 6);
  if (small.length) out.push(small.length + " marks narrower than 6 px");
  return out;
})()`, &overlaps)
			for _, o := range overlaps {
				t.Errorf("%s: timeline: %s", at, o)
			}
		}
		// On paper every standard's tasks are printed, folded or not.
		b.open(site+"standards/", 1366)
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		var hidden []string
		b.eval(`Array.from(document.querySelectorAll("details.status-standard")).filter(d => !d.querySelector(".tasks__table").checkVisibility() || d.querySelector(".tasks__table").getBoundingClientRect().height < 20).map(d => d.querySelector(".status-standard__link").id)`, &hidden)
		var folded int
		b.eval(`document.querySelectorAll("details.status-standard:not([open])").length`, &folded)
		if len(hidden) > 0 || folded != 12 {
			t.Errorf("%s in print: %d standards folded, tasks of %q not printed", theme, folded, hidden)
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
			t.Fatal(err)
		}
		// On screen they are folded, and following a link to a task
		// opens its standard.
		b.eval(`Array.from(document.querySelectorAll("details.status-standard")).filter(d => d.querySelector(".tasks__table").checkVisibility()).map(d => d.querySelector(".status-standard__link").id)`, &hidden)
		if len(hidden) > 0 {
			t.Errorf("%s: on screen the tasks of %q show although folded", theme, hidden)
		}
		b.open(site+"standards/#task-3-committee-quarterly-study", 1366)
		var open bool
		b.eval(`document.querySelector("#task-3-committee-quarterly-study").closest("details").open && document.querySelector("#task-3-committee-quarterly-study").checkVisibility()`, &open)
		if !open {
			t.Errorf("%s: a link to a task does not open its standard", theme)
		}
		// So does the link from the overview and from the standard's own
		// page, #standard-N, with its tasks in view.
		b.open(site+"standards/#standard-5", 1366)
		b.eval(`document.querySelector("#standard-5").closest("details").open && document.querySelector("#standard-5").closest("details").querySelector(".tasks__table").checkVisibility()`, &open)
		if !open {
			t.Errorf("%s: a link to #standard-5 leaves its standard folded", theme)
		}
	}
}

// TestCardsWithAndWithoutJavaScript opens the cards list and a card with
// JavaScript off, where the answer shows and no button pretends to flip,
// and on, where the button shows and turns the card over.
func TestCardsWithAndWithoutJavaScript(t *testing.T) {
	ctx := chrome.New(t, 2*time.Minute)
	b := browserPage{t, ctx}
	for _, theme := range []string{"default", "ink"} {
		site := serveTheme(t, theme)
		for _, js := range []bool{false, true} {
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !js}); err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{"cards/", "cards/biaozhun-01/"} {
				for _, width := range layoutWidths {
					at := fmt.Sprintf("%s %s at %d px, JavaScript %v", theme, u, width, js)
					b.open(site+u, width)
					var state string
					b.eval(`(() => {
  const cards = Array.from(document.querySelectorAll("[data-flipcard]"));
  const shown = el => el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const buttons = cards.filter(c => shown(c.querySelector(".flipcard__toggle"))).length;
  const answers = cards.filter(c => shown(c.querySelector(".flipcard__answer")) && c.querySelector(".flipcard__answer").innerText.trim().length > 4).length;
  return cards.length + " " + buttons + " " + answers;
})()`, &state)
					var n, buttons, answers int
					fmt.Sscan(state, &n, &buttons, &answers)
					switch {
					case n == 0:
						t.Errorf("%s: no cards", at)
					case !js && (buttons != 0 || answers != n):
						t.Errorf("%s: %d cards, %d flip buttons shown, %d answers shown; want no buttons and every answer", at, n, buttons, answers)
					case js && buttons != n:
						t.Errorf("%s: %d cards but %d flip buttons", at, n, buttons)
					}
					if !js {
						continue
					}
					// The button turns the first card: the back is read, the
					// front is out of reach.
					var flipped string
					b.eval(`(() => {
  const c = document.querySelector("[data-flipcard]"), btn = c.querySelector(".flipcard__toggle");
  const before = c.querySelector(".flipcard__back").inert;
  btn.click();
  return [before, c.classList.contains("is-flipped"), btn.getAttribute("aria-pressed"), c.querySelector(".flipcard__back").inert, c.querySelector(".flipcard__front").inert].join(" ");
})()`, &flipped)
					if flipped != "true true true false true" {
						t.Errorf("%s: before and after a click (back inert, flipped, pressed, back inert, front inert): %s", at, flipped)
					}
				}
			}
		}
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNoPageIsWiderThanAPhone opens a page of every template of the
// example, in both themes, at a phone's width, in the normal view and in
// 关怀模式 (larger type), and measures that nothing makes the page wider
// than the screen: a reader would have to scroll sideways to read it.
// Boxes that scroll by themselves, like the menu, are not the page.
func TestNoPageIsWiderThanAPhone(t *testing.T) {
	ctx := chrome.New(t, 4*time.Minute)
	pages := []string{"", "readings/", "readings/%E5%AD%A6%E4%B9%A0%E5%85%9A%E7%AB%A0/", "classes/", "classes/jiandang-95-lixiang-xinnian/",
		"teachers/", "teachers/li-hongmei/", "cards/", "standards/", "standards/02-zhuti-dangri/", "news/", "tags/", "search/", "404.html"}
	for _, theme := range []string{"default", "ink"} {
		base := serveTheme(t, theme)
		b := browserPage{t, ctx}
		for _, p := range pages {
			for _, mode := range []string{"", "#care"} {
				b.open(base+p+mode, 390)
				var wide string
				b.eval(`(() => {
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w) return "";
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    let clipped = false;
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") { clipped = true; break; }
    }
    if (r.right > w + 1 && !clipped) out.push(el.tagName.toLowerCase() + "." + el.className + " to " + Math.round(r.right) + "px");
  }
  return document.documentElement.scrollWidth + "px wide: " + out.slice(0, 5).join(", ");
})()`, &wide)
				if wide != "" {
					t.Errorf("%s: /%s%s at 390 px is %s", theme, p, mode, wide)
				}
			}
		}
	}
}

// TestCareMode follows a reader through 关怀模式 in both themes: the
// switch's link makes the type at least a fifth larger at once, with
// JavaScript and without; with JavaScript the mode stays on the next page,
// and the switch's other link turns it off.
func TestCareMode(t *testing.T) {
	ctx := chrome.New(t, 2*time.Minute)
	b := browserPage{t, ctx}
	// The size of the text in <main>, and the link the switch shows.
	look := func() (float64, string) {
		var size, link string
		b.eval(`getComputedStyle(document.querySelector("main")).fontSize`, &size)
		b.eval(`Array.from(document.querySelectorAll(".care-toggle a")).filter(a => a.getClientRects().length).map(a => a.dataset.care).join(",")`, &link)
		px, err := strconv.ParseFloat(strings.TrimSuffix(size, "px"), 64)
		if err != nil {
			t.Fatalf("font size %q", size)
		}
		return px, link
	}
	for _, theme := range []string{"default", "ink"} {
		site := serveTheme(t, theme)
		for _, js := range []bool{false, true} {
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !js}); err != nil {
				t.Fatal(err)
			}
			at := fmt.Sprintf("%s, JavaScript %v", theme, js)
			b.open(site+"readings/", 390)
			b.eval(`localStorage.clear(), true`, new(bool))
			b.open(site+"readings/", 390)
			normal, link := look()
			if link != "on" {
				t.Errorf("%s: a page opens with the switch showing %q, want the link that turns the mode on", at, link)
			}
			b.eval(`document.querySelector(".care-toggle__enter").click(), true`, new(bool))
			if size, link := look(); size < normal*1.2 || link != "off" {
				t.Errorf("%s: after the switch the text is %vpx (from %vpx) and the switch shows %q", at, size, normal, link)
			}
			if !js {
				continue
			}
			b.open(site+"news/", 390)
			if size, link := look(); size < normal*1.2 || link != "off" {
				t.Errorf("%s: the next page is %vpx with %q, want the mode remembered", at, size, link)
			}
			b.eval(`document.querySelector(".care-toggle__exit").click(), true`, new(bool))
			b.open(site+"classes/", 390)
			if size, link := look(); size != normal || link != "on" {
				t.Errorf("%s: after turning it off the next page is %vpx with %q", at, size, link)
			}
		}
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
			t.Fatal(err)
		}
	}
}
