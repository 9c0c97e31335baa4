package markup

import "testing"

func TestSoftLineBreaks(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"between ideographs", "学习\n教育", "<p>学习教育</p>"},
		{"after full-width comma", "文字，\n见下文", "<p>文字，见下文</p>"},
		{"after ideographic full stop", "结束。\n“引文”", "<p>结束。“引文”</p>"},
		// The curly quotes belong to whichever text they quote.
		{"English quotes", "“yes”\n“no”", "<p>“yes”\n“no”</p>"},
		{"Chinese quote ends a line", "他说“好”\n然后离开", "<p>他说“好”然后离开</p>"},
		{"English quote, then Chinese", "He said “yes”\n然后", "<p>He said “yes”\n然后</p>"},
		{"kana", "日本語の\nテキスト", "<p>日本語のテキスト</p>"},
		{"into emphasis", "中文\n**强调**", "<p>中文<strong>强调</strong></p>"},
		{"out of emphasis", "*中文*\n强调", "<p><em>中文</em>强调</p>"},
		{"into link", "见\n[链接](x.md)", `<p>见<a href="x.md">链接</a></p>`},
		{"into code span", "运行\n`命令`", "<p>运行<code>命令</code></p>"},
		{"several lines", "一\n二\n三", "<p>一二三</p>"},
		{"setext heading", "标题\n第二行\n===", "<h1 id=\"标题第二行\">标题第二行</h1>"},
		{"english kept", "first\nsecond", "<p>first\nsecond</p>"},
		{"english before markup kept", "word\n**bold**", "<p>word\n<strong>bold</strong></p>"},
		{"english before link kept", "see\n[link](x)", "<p>see\n<a href=\"x\">link</a></p>"},
		{"CJK then latin kept", "中文\nEnglish", "<p>中文\nEnglish</p>"},
		{"latin then CJK kept", "English\n中文", "<p>English\n中文</p>"},
		{"korean kept", "한국어\n문장", "<p>한국어\n문장</p>"},
		{"image kept", "图\n![示意](a.png)\n后", "<p>图\n<img src=\"a.png\" alt=\"示意\">\n后</p>"},
		{"hard break kept", "中文  \n中文", "<p>中文<br>\n中文</p>"},
		{"backslash hard break kept", "中文\\\n中文", "<p>中文<br>\n中文</p>"},
		{"list item", "- 第一\n  行", "<ul>\n<li>第一行</li>\n</ul>"},
		{"blockquote", "> 引\n> 文", "<blockquote>\n<p>引文</p>\n</blockquote>"},
	}
	c := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := body(mustConvertWith(t, c, tt.src, nil)); got != tt.want {
				t.Errorf("Convert(%q)\n got %q\nwant %q", tt.src, got, tt.want)
			}
		})
	}
}
