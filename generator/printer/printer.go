// Package printer prints a built site's print pages to PDF through headless
// Chromium: the pocket book (twice, so that its table of contents can carry
// the pages each article starts on), its saddle-stitched imposition, and
// the knowledge-card sheets. Chromium does the typesetting, since it is what
// renders the same pages on screen; imposition is done in Go.
package printer

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"mime"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"lanmu/generator/build"
	"lanmu/generator/config"
	"lanmu/generator/messages"
	"lanmu/generator/pdf"
)

// Options control printing.
type Options struct {
	Chrome   string    // Chromium's path; "" looks on PATH
	Progress io.Writer // one line per step, since printing takes seconds
	// Say speaks the user's language (see package messages); nil is
	// English.
	Say *messages.Printer
}

// Outputs are the PDFs, by site path.
const (
	PocketBookPDF = "/print/pocketbook.pdf"
	BookletPDF    = "/print/pocketbook-booklet.pdf"
	CardsPDF      = "/print/cards.pdf"
)

// PDFs are every PDF Print can make, in the order it prints them.
var PDFs = []string{PocketBookPDF, BookletPDF, CardsPDF}

// ErrNoChrome is returned when no Chromium can be found.
var ErrNoChrome = messages.Errorf("printing PDFs needs Chromium, and none was found: install it (Debian/Ubuntu: sudo apt-get install chromium fonts-noto-cjk) or pass --chrome PATH")

// FindChrome returns the path of Chromium: the given one, else the first
// of chromium, chromium-browser, google-chrome on PATH.
func FindChrome(given string) (string, error) {
	if given != "" {
		if _, err := os.Stat(given); err != nil {
			return "", fmt.Errorf("--chrome %s: %w", given, err)
		}
		return given, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChrome
}

// Print prints the print pages of a built site and returns the PDFs by site
// path. read returns a built file by site path.
func Print(ctx context.Context, site *build.Site, read func(p string) ([]byte, bool), opts Options) (map[string][]byte, error) {
	chrome, err := FindChrome(opts.Chrome)
	if err != nil {
		return nil, err
	}
	say := opts.Say
	if say == nil {
		say = messages.For(messages.English)
	}
	line := func(s string) {
		if opts.Progress != nil {
			fmt.Fprintln(opts.Progress, s)
		}
	}
	progress := func(format string, args ...any) { line(say.Sprintf(format, args...)) }
	srv, err := newFileServer(site.Config.BasePath, read)
	if err != nil {
		return nil, err
	}
	defer srv.close()

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		return nil, fmt.Errorf("starting Chromium (%s): %w", chrome, err)
	}

	out := map[string][]byte{}
	if _, ok := read("/print/pocketbook/index.html"); ok {
		size := site.Config.Print.PocketbookMM
		anchors, titles := site.BookAnchors()
		var book []byte
		var backCover bool
		var fonts []FontUse
		starts := map[string]int{}
		// The contents list shows the page each article starts on, which
		// only a printing can tell; numbers in the list may move an
		// article, so print until the numbers stand still.
		for pass := 1; pass <= 3; pass++ {
			progress("printing the pocket book (pass %d)…", pass)
			book, backCover, err = printPage(browser, srv.url("/print/pocketbook/"), size, backCoverProbe, &fonts)
			if err != nil {
				return nil, err
			}
			found, err := articleStarts(book, anchors, titles)
			if err != nil {
				return nil, err
			}
			if pass > 1 && maps.Equal(found, starts) {
				break
			}
			starts = found
			html, err := site.RenderPocketBook(starts)
			if err != nil {
				return nil, err
			}
			srv.set("/print/pocketbook/index.html", html)
		}
		out[PocketBookPDF] = book
		// Which fonts a machine has decides how the book looks, the
		// official 公文 fonts above all: say which each kind of text got.
		progress("the pocket book's fonts (print.style = %s):", site.Config.Print.Style)
		for _, f := range fonts {
			line("  " + f.Say(say))
		}
		if backCover {
			if backCover, err = lastHeadingOnLastPage(book); err != nil {
				return nil, err
			}
			if !backCover {
				progress("the pocket book's back cover does not fit on its last page: the booklet's blank pages go at the end")
			}
		}
		progress("imposing the booklet for saddle stitching…")
		booklet, err := pdf.Booklet(book, backCover)
		if err != nil {
			return nil, fmt.Errorf("imposing the pocket book: %w", err)
		}
		out[BookletPDF] = booklet
	}
	if _, ok := read("/print/cards/index.html"); ok {
		progress("printing the knowledge cards…")
		size := site.Config.Print.SheetMM
		cards, _, err := printPage(browser, srv.url("/print/cards/"), size, "", nil)
		if err != nil {
			return nil, err
		}
		out[CardsPDF] = cards
	}
	return out, nil
}

// backCoverProbe asks the printed page whether it ends with a back cover:
// an element marked data-back-cover holding the document's last heading.
// The book's template says so, not its text, so a site's own pocketbook
// template without a back cover gets its blank pages at the end.
const backCoverProbe = `(() => {
	const hs = document.querySelectorAll("h1, h2, h3, h4, h5, h6");
	const back = document.querySelector("[data-back-cover]");
	return back !== null && hs.length > 0 && back.contains(hs[hs.length - 1]);
})()`

// lastHeadingOnLastPage reports whether the last entry of the book's
// outline, the heading of its back cover, is on its last page: then that
// page is the back cover and nothing of the text follows it.
func lastHeadingOnLastPage(book []byte) (bool, error) {
	info, err := pdf.Read(book)
	if err != nil {
		return false, fmt.Errorf("reading the pocket book PDF: %w", err)
	}
	n := len(info.Bookmarks)
	return n > 0 && info.Pages > 1 && info.Bookmarks[n-1].Page == info.Pages, nil
}

// printPage prints one page at an exact paper size. The page's own @page
// rules set the margins and margin boxes; the paper size is given here, in
// inches, because Chromium rounds a CSS page size to whole pixels. probe,
// when not empty, is a JavaScript expression evaluated before printing,
// whose answer is returned with the PDF.
func printPage(browser context.Context, url string, size config.Size, probe string, fonts *[]FontUse) (doc []byte, answer bool, err error) {
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, false, fmt.Errorf("opening %s: %w", url, err)
	}
	// Wait for the web fonts and images, or the first pages print in a
	// fallback face.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, false, fmt.Errorf("waiting for %s: %w", url, err)
	}
	if probe != "" {
		if answer, err = chromedp.Run(ctx, chromedp.Evaluate[bool](probe)); err != nil {
			return nil, false, fmt.Errorf("reading %s: %w", url, err)
		}
	}
	if fonts != nil {
		if *fonts, err = bookFonts(ctx); err != nil {
			return nil, false, fmt.Errorf("reading the fonts of %s: %w", url, err)
		}
	}
	yes := true
	toPDF := func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth:              size.Width / 25.4,
			PaperHeight:             size.Height / 25.4,
			PrintBackground:         &yes,
			PreferCSSPageSize:       new(bool),
			GenerateDocumentOutline: &yes,
			MarginTop:               new(float64),
			MarginBottom:            new(float64),
			MarginLeft:              new(float64),
			MarginRight:             new(float64),
		})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	}
	data, err := chromedp.Run(ctx, toPDF)
	if err != nil {
		return nil, false, fmt.Errorf("printing %s: %w", url, err)
	}
	doc, err = pdf.SetPageSize(data, mmToPt(size.Width), mmToPt(size.Height))
	return doc, answer, err
}

// mmToPt converts millimetres to PDF points, to two decimals as paper
// sizes are quoted (A6 = 297.64 × 419.53 pt).
func mmToPt(mm float64) float64 { return math.Round(mm/25.4*72*100) / 100 }

// articleStarts reads, from the PDF's outline, the page each article's
// heading is on. Chromium writes a heading's text into the outline as it
// renders it, white space collapsed, so titles are compared by their words:
// "学习  党章" (two spaces, or a tab) is the outline's "学习 党章".
func articleStarts(book []byte, anchors, titles []string) (map[string]int, error) {
	info, err := pdf.Read(book)
	if err != nil {
		return nil, fmt.Errorf("reading the pocket book PDF: %w", err)
	}
	starts := map[string]int{}
	next := 0
	for _, b := range info.Bookmarks {
		if next < len(titles) && sameWords(b.Title, titles[next]) {
			starts[anchors[next]] = b.Page
			next++
		}
	}
	if next < len(titles) {
		return nil, messages.Errorf("the pocket book PDF has no outline entry for %q: is the Chromium too old to write one?", titles[next])
	}
	return starts, nil
}

// sameWords reports whether two texts hold the same words, however the
// space between them is written.
func sameWords(a, b string) bool {
	return slices.Equal(strings.Fields(a), strings.Fields(b))
}

// fileServer serves a built site from memory on 127.0.0.1 for Chromium,
// under the site's base path so that every link and stylesheet resolves.
type fileServer struct {
	base     string
	read     func(string) ([]byte, bool)
	mu       sync.Mutex
	replaced map[string][]byte // pages printed again with new data
	ln       net.Listener
	srv      *http.Server
}

func newFileServer(base string, read func(string) ([]byte, bool)) (*fileServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	fs := &fileServer{base: base, read: read, replaced: map[string][]byte{}, ln: ln}
	fs.srv = &http.Server{Handler: fs, ReadHeaderTimeout: 10 * time.Second}
	go fs.srv.Serve(ln)
	return fs, nil
}

func (fs *fileServer) url(p string) string {
	return "http://" + fs.ln.Addr().String() + strings.TrimSuffix(fs.base, "/") + p
}

func (fs *fileServer) set(p string, data []byte) {
	fs.mu.Lock()
	fs.replaced[p] = data
	fs.mu.Unlock()
}

func (fs *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, strings.TrimSuffix(fs.base, "/"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	p = path.Clean("/" + p)
	if strings.HasSuffix(r.URL.Path, "/") {
		p = strings.TrimSuffix(p, "/") + "/index.html"
	}
	fs.mu.Lock()
	data, found := fs.replaced[p]
	fs.mu.Unlock()
	if !found {
		data, found = fs.read(p)
	}
	if !found {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Write(data)
}

func (fs *fileServer) close() {
	fs.srv.Close()
}
