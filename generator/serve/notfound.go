package serve

import (
	"bytes"
	"html"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// maxSuggestions is how many similar pages a 404 lists.
const maxSuggestions = 10

var notFoundTmpl = template.Must(template.New("404").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>页面还不存在 · Page not found</title>
<style>
body{margin:0;padding:6vh 16px;background:#f4f4f4;color:#1b1b1b;font:17px/1.7 "Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:760px;margin:0 auto;padding:28px 32px;background:#fff;border-top:6px solid #1565c0;border-radius:8px;box-shadow:0 4px 20px rgba(0,0,0,.12)}
h1{margin:0 0 12px;font-size:26px;line-height:1.4}
h2{margin:24px 0 8px;font-size:19px}
code{padding:2px 6px;background:#eef2f7;border-radius:4px;word-break:break-all;font-family:ui-monospace,"Cascadia Mono",Consolas,"Noto Sans Mono CJK SC",monospace}
.en{color:#555}
ul{padding-left:1.4em}
li{margin:4px 0}
a{color:#0d47a1}
.path{color:#666;font-size:14px;margin-left:.5em}
</style>
</head>
<body>
<main>
{{- if .Building}}
<h1>站点正在构建…… <span class="en">The site is being built…</span></h1>
<p>构建完成后本页会自动刷新。<br><span class="en">This page reloads by itself when it is ready.</span></p>
{{- else}}
<h1>这个页面还不存在 <span class="en">This page does not exist yet</span></h1>
<p>您访问的地址是 <span class="en">You asked for</span> <code>{{.Path}}</code></p>
{{- if .Outside}}
<p>本站点的所有页面都在 <code>{{.Base}}</code> 之下。<br><span class="en">Every page of this site is under {{.Base}}.</span></p>
{{- else}}
<p>如果您刚刚新建了这个页面，保存后本页会自动刷新。<br><span class="en">If you have just created it, this page reloads by itself once it is built.</span></p>
{{- end}}
{{- if .Similar}}
<h2>相近的页面 <span class="en">Similar pages</span></h2>
<ul>
{{- range .Similar}}
<li><a href="{{.Href}}">{{if .Title}}{{.Title}}{{else}}{{.Path}}{{end}}</a>{{if .Title}}<span class="path">{{.Path}}</span>{{end}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}
<p><a href="{{.Base}}">返回首页 <span class="en">Home page</span></a></p>
</main>
</body>
</html>
`))

type notFoundView struct {
	Building bool // nothing published yet
	Outside  bool // the path is not under the base path
	Path     string
	Base     string
	Similar  []suggestion
}

type suggestion struct {
	Href, Path, Title string
}

// notFound answers a missing page with a page that helps an editor find the
// one they meant, and that carries the live script, so it turns into the
// page as soon as a build makes it. The site's own /404.html is not used:
// it is written for readers of the published site, and tells an editor
// neither what was asked for nor what exists.
//
// rest is the path relative to the base (with a leading slash) when inside
// is true, else the whole request path.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, snap *snapshot, rest string, inside bool) {
	full := rest
	if inside {
		full = snap.base + strings.TrimPrefix(rest, "/")
	}
	view := notFoundView{
		Building: snap.version == 0,
		Outside:  !inside,
		Path:     full,
		Base:     snap.base,
	}
	if !view.Building {
		for _, p := range nearest(snap.pages(), rest, maxSuggestions) {
			view.Similar = append(view.Similar, suggestion{
				Href:  snap.base + strings.TrimPrefix(p, "/"),
				Path:  snap.base + strings.TrimPrefix(p, "/"),
				Title: pageTitle(snap.files[pageFile(p)]),
			})
		}
	}
	var b bytes.Buffer
	if err := notFoundTmpl.Execute(&b, view); err != nil {
		panic(err) // only fixed types go in
	}
	body := inject(b.Bytes(), snap.inject)

	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// pageFile is the file behind a page's URL path.
func pageFile(p string) string {
	if strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// nearest returns up to n pages sharing the longest prefix with want,
// counted in characters so that a typo late in a slug still finds its page;
// ties keep the sorted order of pages.
func nearest(pages []string, want string, n int) []string {
	type scored struct {
		p string
		n int
	}
	all := make([]scored, len(pages))
	for i, p := range pages {
		all[i] = scored{p, commonPrefix(p, want)}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].n > all[j].n })
	if len(all) > n {
		all = all[:n]
	}
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = s.p
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	ar, br := []rune(a), []rune(b)
	for n < len(ar) && n < len(br) && ar[n] == br[n] {
		n++
	}
	return n
}

// pageTitle returns the text of a page's <title>, which tells an editor
// more than a slug does; "" when there is none.
func pageTitle(page []byte) string {
	i := bytes.Index(page, []byte("<title"))
	if i < 0 {
		return ""
	}
	page = page[i:]
	j := bytes.IndexByte(page, '>')
	k := bytes.Index(page, []byte("</title>"))
	if j < 0 || k < j {
		return ""
	}
	t := strings.Join(strings.Fields(html.UnescapeString(string(page[j+1:k]))), " ")
	if r := []rune(t); len(r) > 120 {
		t = string(r[:120]) + "…"
	}
	return t
}
