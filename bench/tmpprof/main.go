package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"lanmu/generator/build"
)

func main() {
	dir := os.Args[1]
	s := build.NewSession(build.Options{Source: dir, BaseURL: "http://127.0.0.1:1313/"})
	s.Defer = true
	t := time.Now()
	if _, err := s.Build(); err != nil {
		panic(err)
	}
	fmt.Println("first", time.Since(t))
	page := filepath.Join(dir, "content/news/00042.md")
	f, _ := os.Create("/tmp/session.prof")
	pprof.StartCPUProfile(f)
	for i := range 5 {
		src, _ := os.ReadFile(page)
		os.WriteFile(page, append(src, fmt.Sprintf("\n\n编辑 %d。\n", i)...), 0o644)
		time.Sleep(time.Second)
		t = time.Now()
		res, err := s.Update([]string{page})
		if err != nil {
			panic(err)
		}
		fmt.Println("edit", time.Since(t), res.Rendered, res.Converted, len(res.Changed), res.Stages)
	}
	pprof.StopCPUProfile()
	tmpl := filepath.Join(dir, "layouts/partials/footer.html")
	os.MkdirAll(filepath.Dir(tmpl), 0o755)
	f2, _ := os.Create("/tmp/template.prof")
	pprof.StartCPUProfile(f2)
	for i := range 3 {
		os.WriteFile(tmpl, []byte(fmt.Sprintf("<footer class=\"site-footer\"><p>{{ .Site.Title }}</p></footer>\n<!-- edit %d -->\n", i)), 0o644)
		t = time.Now()
		res, err := s.Update([]string{tmpl})
		if err != nil {
			panic(err)
		}
		fmt.Println("template", time.Since(t), res.Rendered, res.Converted, len(res.Changed), res.Stages)
	}
	pprof.StopCPUProfile()
	fmt.Println(s.ReadsSize())
}
