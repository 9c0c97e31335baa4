package markup

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A task list item's checkbox is a form control, and a control without a
// label is announced by screen readers as a bare "checkbox, checked": the
// listener never learns which task is done. GFM renders
// `- [x] 确定授课人` as `<li><input checked disabled type="checkbox"> 确定授课人</li>`,
// so the item's text is wrapped, with the checkbox, in a <label>, which
// names the checkbox by the task it stands for in any language.

// kindTaskLabel is the inline node holding a checkbox and the rest of its
// item's first line.
var kindTaskLabel = ast.NewNodeKind("TaskLabel")

type taskLabel struct{ ast.BaseInline }

func (n *taskLabel) Kind() ast.NodeKind { return kindTaskLabel }

func (n *taskLabel) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// taskLabels is the goldmark extension that labels task checkboxes. It must
// come after extension.GFM, whose task list parser makes the checkboxes.
type taskLabels struct{}

func (taskLabels) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(taskLabels{}, 1000)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(taskLabels{}, 500)))
}

// Transform moves each checkbox, and the inlines after it in the same
// paragraph, into a taskLabel. The passes that read text (summary, word
// count, line joining) look through inline containers, so they see the
// same text as before.
func (taskLabels) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var boxes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == east.KindTaskCheckBox {
			boxes = append(boxes, n)
		}
		return ast.WalkContinue, nil
	})
	for _, box := range boxes {
		parent := box.Parent()
		label := &taskLabel{}
		parent.InsertBefore(parent, box, label)
		for n := box; n != nil; {
			next := n.NextSibling()
			parent.RemoveChild(parent, n)
			label.AppendChild(label, n)
			n = next
		}
	}
}

func (taskLabels) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTaskLabel, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<label>")
		} else {
			_, _ = w.WriteString("</label>")
		}
		return ast.WalkContinue, nil
	})
}
