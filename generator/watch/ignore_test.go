package watch

import "testing"

func TestIgnoredName(t *testing.T) {
	t.Parallel()
	ignored := []string{
		"index.md~", ".index.md.swp", "index.md.swp", "index.md.swx", "index.md.swpx",
		"index.md.bck", "index.md.tmp", "4913", ".#index.md", "#index.md#",
		".goutputstream-ABC123", "jb_tmp___", "jb_old___", "index.md___jb_tmp___",
		"index.md___jb_old___", ".git", ".DS_Store", ".hidden.md",
	}
	for _, name := range ignored {
		if !IgnoredName(name) {
			t.Errorf("IgnoredName(%q) = false, want true", name)
		}
	}
	kept := []string{
		"index.md", "lanmu.toml", "4913.md", "49130", "#index.md", "index.md#",
		"tmp", "swp", "a~b.md", "jb_notes.md", "notes___", "page.template", "",
	}
	for _, name := range kept {
		if IgnoredName(name) {
			t.Errorf("IgnoredName(%q) = true, want false", name)
		}
	}
}
