// The Markdown editor the editing page uses: CodeMirror 6 with the few
// parts an editor of a column needs, bundled by esbuild into
// ../vendor/codemirror.js (see bundle_test.go) and served from the binary,
// so that an office without internet can edit. It gives the page one
// function, window.lanmuMarkdown(parent, text, changed, label): label
// names the editor for screen readers.
import { EditorState, EditorSelection } from "@codemirror/state";
import { EditorView, keymap, drawSelection, highlightActiveLine, lineNumbers } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { Language, defineLanguageFacet, languageDataProp, syntaxHighlighting, defaultHighlightStyle, indentOnInput } from "@codemirror/language";
import { parser, GFM } from "@lezer/markdown";

// Markdown with GitHub's tables, task lists and strikethrough, as lanmu
// reads it. Not @codemirror/lang-markdown: it brings the HTML, CSS and
// JavaScript parsers for code blocks, which would treble the script.
var markdownData = defineLanguageFacet();
var markdownLanguage = new Language(markdownData, parser.configure([GFM, {
  props: [languageDataProp.add(function (type) { return type.isTop ? markdownData : undefined; })],
}]), [], "markdown");

window.lanmuMarkdown = function (parent, text, changed, label) {
  var view = new EditorView({
    parent: parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        indentOnInput(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true" }),
        markdownLanguage,
        syntaxHighlighting(defaultHighlightStyle),
        keymap.of([indentWithTab].concat(defaultKeymap, historyKeymap)),
        EditorView.updateListener.of(function (u) {
          if (u.docChanged) {
            changed();
          }
        }),
      ],
    }),
  });

  // Each selected range wrapped in before and after (bold: "**"), or,
  // when nothing is selected, the two with the placeholder between them
  // selected, to type over.
  function wrap(before, after, placeholder) {
    var state = view.state;
    view.dispatch(state.changeByRange(function (range) {
      var inner = state.sliceDoc(range.from, range.to) || placeholder;
      var insert = before + inner + after;
      return {
        changes: { from: range.from, to: range.to, insert: insert },
        range: EditorSelection.range(range.from + before.length, range.from + before.length + inner.length),
      };
    }));
    view.focus();
  }

  // Every line the selection touches starts with prefix (a heading's "## ",
  // a list's "- "), in place of the marker it had.
  function prefixLines(prefix, marker) {
    var state = view.state;
    var changes = [];
    var seen = {};
    state.selection.ranges.forEach(function (range) {
      for (var pos = range.from; pos <= range.to;) {
        var line = state.doc.lineAt(pos);
        if (!seen[line.number]) {
          seen[line.number] = true;
          var old = marker.exec(line.text);
          changes.push({ from: line.from, to: line.from + (old ? old[0].length : 0), insert: prefix });
        }
        pos = line.to + 1;
      }
    });
    view.dispatch({ changes: changes });
    view.focus();
  }

  // text at the caret (replacing the selection), with the part from
  // select[0] to select[1] of it selected afterwards.
  function insert(text, select) {
    var from = view.state.selection.main.from;
    var to = view.state.selection.main.to;
    var atLineStart = view.state.doc.lineAt(from).from === from;
    var lead = text.charAt(0) === "\n" && atLineStart ? text.slice(1) : text;
    var shift = lead.length - text.length;
    view.dispatch({
      changes: { from: from, to: to, insert: lead },
      selection: select ? EditorSelection.single(from + select[0] + shift, from + select[1] + shift) : EditorSelection.cursor(from + lead.length),
    });
    view.focus();
  }

  return {
    view: view,
    text: function () { return view.state.doc.toString(); },
    setText: function (t) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } });
    },
    selected: function () {
      var r = view.state.selection.main;
      return view.state.sliceDoc(r.from, r.to);
    },
    wrap: wrap,
    prefixLines: prefixLines,
    insert: insert,
    selectLine: function (n) {
      var line = view.state.doc.line(Math.max(1, Math.min(n, view.state.doc.lines)));
      view.dispatch({ selection: EditorSelection.range(line.from, line.to), scrollIntoView: true });
      view.focus();
    },
    focus: function () { view.focus(); },
  };
};
