package serve

import (
	"bytes"
	"html/template"

	"lanmu/generator/diag"
)

// The overlay is one element with its own styles inside, so that the script
// can put it in or take it out as a whole. Its rules are scoped by id, which
// outranks the site's own selectors. The source lines sit in one <pre>, so
// the template trims the whitespace between them. html/template escapes
// every value: messages and source lines are the editor's own text.
var overlayTmpl = template.Must(template.New("overlay").Parse(`<div id="lanmu-overlay" role="alertdialog" aria-modal="true" aria-labelledby="lanmu-overlay-title" aria-describedby="lanmu-overlay-hint" lang="zh-CN">
<style>
#lanmu-overlay{position:fixed;inset:0;z-index:2147483647;display:flex;align-items:flex-start;justify-content:center;box-sizing:border-box;padding:6vh 16px;overflow:auto;background:rgba(20,20,20,.72);color:#1b1b1b;text-align:left;font:16px/1.6 "Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
#lanmu-overlay[hidden]{display:none}
#lanmu-overlay *{box-sizing:border-box;font-family:inherit;letter-spacing:normal}
#lanmu-overlay .lanmu-panel{position:relative;width:100%;max-width:960px;margin:0;padding:24px 28px;background:#fff;border-top:6px solid #c62828;border-radius:8px;box-shadow:0 10px 40px rgba(0,0,0,.45)}
#lanmu-overlay h2{margin:0 40px 4px 0;padding:0;font-size:22px;font-weight:bold;line-height:1.4;color:#b71c1c}
#lanmu-overlay p{margin:0;padding:0}
#lanmu-overlay .lanmu-hint{margin:0 0 16px;color:#555}
#lanmu-overlay .lanmu-close{position:absolute;top:12px;right:12px;width:40px;height:40px;margin:0;padding:0;border:1px solid #ccc;border-radius:6px;background:#fff;color:#333;font-size:24px;line-height:1;cursor:pointer}
#lanmu-overlay .lanmu-close:hover,#lanmu-overlay .lanmu-close:focus{background:#f2f2f2;outline:2px solid #1565c0}
#lanmu-overlay ol{margin:0;padding:0;list-style:none}
#lanmu-overlay li{margin:0 0 20px;padding:0}
#lanmu-overlay .lanmu-where{font-weight:bold;word-break:break-all}
#lanmu-overlay pre,#lanmu-overlay pre *{font-family:ui-monospace,"Cascadia Mono",Consolas,"Noto Sans Mono CJK SC","Sarasa Mono SC",monospace}
#lanmu-overlay pre{margin:8px 0 0;padding:10px 0;overflow:auto;background:#f6f6f6;border:1px solid #e0e0e0;border-radius:4px;font-size:14px;line-height:1.5;white-space:pre;color:#1b1b1b}
#lanmu-overlay .lanmu-line{display:block;padding:0 12px}
#lanmu-overlay .lanmu-error{background:#fde4e4}
#lanmu-overlay .lanmu-n{display:inline-block;min-width:4ch;margin-right:2ch;color:#888;text-align:right;user-select:none}
#lanmu-overlay .lanmu-error .lanmu-n{color:#b71c1c;font-weight:bold}
#lanmu-overlay .lanmu-ghost{visibility:hidden}
#lanmu-overlay .lanmu-caret{color:#c62828;font-weight:bold}
@media print{#lanmu-overlay{display:none}}
</style>
<div class="lanmu-panel">
<button type="button" class="lanmu-close" data-lanmu-close aria-label="关闭 / Close" title="关闭 / Close">×</button>
<h2 id="lanmu-overlay-title">构建出错 · Build error</h2>
<p id="lanmu-overlay-hint" class="lanmu-hint">修改并保存文件后，此提示会自动消失 / Fix the file and save; this goes away by itself</p>
<ol>
{{- range .}}
<li><p class="lanmu-where">{{.Where}}</p>
{{- if .Lines}}
<pre><code>
{{- range .Lines -}}
<span class="lanmu-line{{if .Error}} lanmu-error{{end}}"><span class="lanmu-n">{{.N}}</span>{{.Text}}</span>
{{- if .Caret}}<span class="lanmu-line" aria-hidden="true"><span class="lanmu-n lanmu-ghost">{{.N}}</span><span class="lanmu-ghost">{{.Before}}</span><span class="lanmu-caret">^</span></span>{{end -}}
{{- end -}}
</code></pre>
{{- end}}</li>
{{- end}}
</ol>
</div>
</div>
`))

type overlayProblem struct {
	Where string
	Lines []overlayLine
}

type overlayLine struct {
	SourceLine
	// Caret puts a "^" under column Col. The text before it is repeated,
	// invisible, on the caret's line, so the caret lands right whatever the
	// width of the characters (Chinese is two columns wide) and of tabs.
	Caret  bool
	Before string
}

// renderOverlay renders the overlay fragment for problems.
func renderOverlay(problems []Problem) []byte {
	view := make([]overlayProblem, len(problems))
	for i, p := range problems {
		v := overlayProblem{Where: where(p)}
		for _, l := range p.Source {
			ol := overlayLine{SourceLine: l}
			if l.Error && p.Col > 0 {
				ol.Caret = true
				ol.Before = firstRunes(l.Text, p.Col-1)
			}
			v.Lines = append(v.Lines, ol)
		}
		view[i] = v
	}
	var b bytes.Buffer
	if err := overlayTmpl.Execute(&b, view); err != nil {
		// Only fixed types go in, so this is a bug in the template.
		panic(err)
	}
	return b.Bytes()
}

// where formats a problem as path:line:col: message, exactly as lanmu
// prints it in the terminal, a warning marked as lanmu build marks it.
func where(p Problem) string {
	text := (&diag.Error{Path: p.File, Line: p.Line, Col: p.Col, Msg: p.Msg}).Error()
	if p.Warning {
		return "warning: " + text
	}
	return text
}

// firstRunes returns the first n characters of s, or all of s.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
