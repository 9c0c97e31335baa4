package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// problemPackages are the folders whose messages lanmu keeps as
// messages.Text and prints in the user's language: cmd's own usage errors
// and every generator package's problems. The file watcher's and the
// server's log lines are left out: they are for whoever runs the machine,
// and stay English.
func problemPackages(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("../../generator")
	if err != nil {
		t.Fatal(err)
	}
	out := []string{"."} // cmd's own usage errors, made with messages.Errorf
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join("../../generator", e.Name()))
		}
	}
	return out
}

// problemFormats finds every message format the problem packages write:
// the string literal given, as the format, to a function that keeps a
// message for translation. Such a function is any function, method or
// function value in those packages with a parameter "format string"
// followed by the arguments (args ...any or args []any): diag.Errorf and
// Addf, keyval.Errorf, messages.Textf and Errorf, and the packages' own
// helpers (content's at, config's add, markup's problemAt …). fmt.Errorf
// and fmt.Sprintf are not such functions: a message made with them is
// English for good, which review, not this scan, keeps out.
func problemFormats(t *testing.T) []string {
	t.Helper()
	files := parseSources(t, problemPackages(t)...)
	// Where each format-taking function takes its format: "pkg.Name" for
	// a package's functions, "pkg#name" for function values, ".Name" for
	// methods.
	formatAt := map[string]int{}
	takesFormat := func(ft *ast.FuncType) (int, bool) {
		i := 0
		for n, field := range ft.Params.List {
			for _, name := range field.Names {
				if name.Name == "format" && isIdent(field.Type, "string") && n+1 < len(ft.Params.List) {
					switch next := ft.Params.List[n+1].Type.(type) {
					case *ast.Ellipsis:
						return i, true
					case *ast.ArrayType:
						return i, next.Len == nil
					}
				}
				i++
			}
			if len(field.Names) == 0 {
				i++
			}
		}
		return 0, false
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if i, ok := takesFormat(n.Type); ok {
					if n.Recv != nil {
						formatAt["."+n.Name.Name] = i
					} else {
						formatAt[f.Name.Name+"."+n.Name.Name] = i
					}
				}
			case *ast.Field:
				// A function-valued field, such as the Logf the preview
				// hands the server and the watcher.
				if ft, ok := n.Type.(*ast.FuncType); ok && len(n.Names) == 1 {
					if i, ok := takesFormat(ft); ok {
						formatAt["."+n.Names[0].Name] = i
					}
				}
			case *ast.AssignStmt:
				for k, rhs := range n.Rhs {
					if lit, ok := rhs.(*ast.FuncLit); ok && k < len(n.Lhs) {
						if i, ok := takesFormat(lit.Type); ok {
							formatAt[f.Name.Name+"#"+n.Lhs[k].(*ast.Ident).Name] = i
						}
					}
				}
			}
			return true
		})
	}
	var out []string
	for _, f := range files {
		pkg := f.Name.Name
		imported := map[string]bool{}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			imported[filepath.Base(path)] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var key string
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				key = pkg + "." + fun.Name
				if _, ok := formatAt[key]; !ok {
					key = pkg + "#" + fun.Name
				}
			case *ast.SelectorExpr:
				if x, ok := fun.X.(*ast.Ident); ok && imported[x.Name] {
					key = x.Name + "." + fun.Sel.Name
				} else {
					key = "." + fun.Sel.Name
				}
			}
			i, ok := formatAt[key]
			if !ok || i >= len(call.Args) {
				return true
			}
			if lit, ok := call.Args[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if f, _ := strconv.Unquote(lit.Value); strings.TrimSpace(formatVerb.ReplaceAllString(f, "")) != "" {
					out = append(out, f)
				}
			}
			return true
		})
	}
	if len(out) < 100 {
		t.Fatalf("found %d problem formats: the scan is broken", len(out))
	}
	return out
}

// formatVerb matches a verb of a format, which is not text to translate.
var formatVerb = regexp.MustCompile(`%[-+# 0-9.*\[\]]*[a-zA-Z%]`)

// parseSources parses the Go files, tests left out, of the folders.
func parseSources(t *testing.T, dirs ...string) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	var out []*ast.File
	for _, dir := range dirs {
		found, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(found) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, name := range found {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
	}
	return out
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
