package build

import (
	"slices"
	"testing"
)

// IncomingLinks finds the pages whose Markdown links to a page: in the
// example, the guide to party classes links to a class and to a teacher.
func TestIncomingLinks(t *testing.T) {
	s, err := Load(Options{Source: exampleSite})
	if err != nil {
		t.Fatal(err)
	}
	links := s.IncomingLinks()
	for _, target := range []string{"content/classes/jiandang-95-lixiang-xinnian.md", "content/teachers/li-hongmei/index.md"} {
		if got := links[target]; !slices.Contains(got, "content/readings/jiang-dangke-gongzuo-zhiyin.md") {
			t.Errorf("IncomingLinks()[%s] = %v, want the guide to party classes among them", target, got)
		}
	}
	if got := links["content/readings/jiang-dangke-gongzuo-zhiyin.md"]; slices.Contains(got, "content/readings/jiang-dangke-gongzuo-zhiyin.md") {
		t.Errorf("a page counts its own links: %v", got)
	}
}
