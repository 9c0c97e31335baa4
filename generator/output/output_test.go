package output

import (
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCommitReplacesAndKeepsForeignFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	first.Write("/index.html", []byte("one"))
	first.Write("/old/index.html", []byte("old"))
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dest, "CNAME"), []byte("mine"), 0o644)
	os.MkdirAll(filepath.Join(dest, "uploads"), 0o755)
	os.WriteFile(filepath.Join(dest, "uploads", "a.pdf"), []byte("pdf"), 0o644)

	second, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	second.Write("/index.html", []byte("two"))
	second.Copy("/css/a.css", fstest.MapFS{"a.css": {Data: []byte("css")}}, "a.css")
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"index.html": "two", "css/a.css": "css", "CNAME": "mine", "uploads/a.pdf": "pdf"} {
		got, err := os.ReadFile(filepath.Join(dest, p))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", p, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "old/index.html")); err == nil {
		t.Errorf("a file the previous build made and this one did not is still there")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.lanmu-*")); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}

func TestAbortLeavesDestination(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(dest, 0o755)
	os.WriteFile(filepath.Join(dest, "index.html"), []byte("keep"), 0o644)
	d, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	d.Write("/index.html", []byte("new"))
	d.Abort()
	if got, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(got) != "keep" {
		t.Errorf("abort changed the destination: %q", got)
	}
}

func TestWriteRefusesPathsOutside(t *testing.T) {
	d, err := Begin(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, p := range []string{"/../x", "../x", "/a/../../x", "/a\\b", "/", "/a\x00"} {
		if err := d.Write(p, []byte("x")); err == nil {
			t.Errorf("Write(%q) accepted", p)
		}
	}
}

func TestUnwritableDestinationNamesThePath(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes through permissions; use a file where a folder must be.
		parent := t.TempDir()
		blocker := filepath.Join(parent, "file")
		os.WriteFile(blocker, []byte("x"), 0o644)
		_, err := Begin(filepath.Join(blocker, "public"))
		if err == nil || !strings.Contains(err.Error(), blocker) {
			t.Errorf("error %v does not name %s", err, blocker)
		}
		return
	}
	parent := t.TempDir()
	os.Chmod(parent, 0o555)
	defer os.Chmod(parent, 0o755)
	_, err := Begin(filepath.Join(parent, "public"))
	if err == nil || !strings.Contains(err.Error(), parent) {
		t.Errorf("error %v does not name %s", err, parent)
	}
}

func TestCheckDest(t *testing.T) {
	site := t.TempDir()
	for _, bad := range []string{site, filepath.Dir(site), "/", filepath.Join(site, "content"), filepath.Join(site, "static", "x")} {
		if err := CheckDest(site, bad); err == nil {
			t.Errorf("CheckDest(%s) accepted", bad)
		}
	}
	for _, good := range []string{filepath.Join(site, "public"), filepath.Join(t.TempDir(), "www")} {
		if err := CheckDest(site, good); err != nil {
			t.Errorf("CheckDest(%s): %v", good, err)
		}
	}
}

func TestAFailedWriteIsReportedOnceAtItsDestinationPath(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	d, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if err := d.Write("/a", []byte("a file")); err != nil {
		t.Fatal(err)
	}
	// /a is a file, so /a/b cannot be made: the first failure.
	first := d.Write("/a/b/index.html", []byte("x"))
	want := filepath.Join(dest, "a", "b", "index.html")
	if first == nil || !strings.Contains(first.Error(), "cannot write "+want+": ") || strings.Contains(first.Error(), ".lanmu-") {
		t.Fatalf("first failure %v: want it to name %s and not the temporary folder", first, want)
	}
	// Later writes are not tried, and say the same, so a full disk is one
	// message rather than thousands.
	later := d.Copy("/c.css", fstest.MapFS{"c.css": {Data: []byte("c")}}, "c.css")
	if later == nil || later.Error() != first.Error() {
		t.Errorf("a later write returned %v, want the first failure again", later)
	}
	if _, err := os.Stat(filepath.Join(d.tmp, "c.css")); err == nil {
		t.Errorf("a write after a failure was still made")
	}
}

func TestDestinationThatIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "public")
	os.WriteFile(file, []byte("not a folder"), 0o644)
	if _, err := Begin(file); err == nil || !strings.Contains(err.Error(), file+": it is a file, not a folder") {
		t.Errorf("Begin on a file: %v", err)
	}
	if got, _ := os.ReadFile(file); string(got) != "not a folder" {
		t.Errorf("the file was changed: %q", got)
	}
	inner := filepath.Join(file, "deeper", "public")
	if _, err := Begin(inner); err == nil || !strings.Contains(err.Error(), file+" is a file, not a folder") {
		t.Errorf("Begin below a file: %v", err)
	}
}

// A rebuild leaves the files whose bytes did not change as they are, and
// writes the rest: a changed file, one of the same size with other bytes,
// and one edited in the destination by hand since.
func TestRebuildKeepsUnchangedFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	static := fstest.MapFS{"a.css": {Data: []byte("body{}")}}
	build := func(files map[string]string) *Dir {
		t.Helper()
		d, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		for p, data := range files {
			if err := d.Write(p, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Copy("/css/a.css", static, "a.css"); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return d
	}
	stat := func(p string) os.FileInfo {
		t.Helper()
		info, err := os.Stat(filepath.Join(dest, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	files := map[string]string{"/same/index.html": "同", "/changed/index.html": "旧", "/samesize/index.html": "abc", "/edited/index.html": "原"}
	build(files)
	before := map[string]os.FileInfo{}
	for p := range files {
		before[p] = stat(p)
	}
	before["/css/a.css"] = stat("/css/a.css")
	// Edited by hand after the build: its time is past the manifest's.
	edited := filepath.Join(dest, "edited", "index.html")
	os.WriteFile(edited, []byte("手改"), 0o644)
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(edited, later, later)

	files["/changed/index.html"] = "新的"
	files["/samesize/index.html"] = "abd"
	d := build(files)
	for p, want := range map[string]bool{"/same/index.html": true, "/css/a.css": true, "/changed/index.html": false, "/samesize/index.html": false, "/edited/index.html": false} {
		now := stat(p)
		if got := os.SameFile(before[p], now) && before[p].ModTime().Equal(now.ModTime()); got != want {
			t.Errorf("%s: left as it was %v, want %v", p, got, want)
		}
	}
	if d.Reused() != 2 {
		t.Errorf("%d files kept, want 2", d.Reused())
	}
	for p, want := range files {
		if got, _ := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p))); string(got) != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	// A manifest from before hashes were kept: everything is written.
	os.WriteFile(filepath.Join(dest, ManifestName), []byte("/same/index.html\n/css/a.css\n/"+ManifestName+"\n"), 0o644)
	if d := build(files); d.Reused() != 0 {
		t.Errorf("with a manifest without hashes, %d files were kept", d.Reused())
	}
}

// A rebuild changes the destination in place: it removes what the last
// build made and this one did not, with the folders that leaves empty, and
// a path may turn from a file into a folder or back.
func TestRebuildInPlace(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build := func(files ...string) error {
		t.Helper()
		d, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			if err := d.Write(p, []byte("页 "+p)); err != nil {
				t.Fatal(err)
			}
		}
		return d.Commit()
	}
	if err := build("/index.html", "/a", "/gone/deep/index.html", "/b/index.html"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dest, "b", "mine.txt"), []byte("mine"), 0o644)
	if err := build("/index.html", "/a/index.html", "/b"); err == nil || !strings.Contains(err.Error(), "cannot write "+filepath.Join(dest, "b")) {
		t.Errorf("a file where a folder holds someone's file: %v", err)
	}
	os.Remove(filepath.Join(dest, "b", "mine.txt"))
	if err := build("/index.html", "/a/index.html", "/b"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "a/index.html", "b"} {
		if got, err := os.ReadFile(filepath.Join(dest, p)); err != nil || string(got) != "页 /"+filepath.ToSlash(p) {
			t.Errorf("%s = %q, %v", p, got, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "gone")); !os.IsNotExist(err) {
		t.Errorf("the folder of a page no longer built is still there: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.lanmu-*")); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}

// A streamed file lands like a written one: kept on a rebuild when its
// bytes are the same, and absent when its maker fails.
func TestStream(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	big := strings.Repeat("索引", 50000)
	build := func(write func(io.Writer) error) (*Dir, error) {
		t.Helper()
		d, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Stream("/search/index.json", write); err != nil {
			d.Abort()
			return d, err
		}
		return d, d.Commit()
	}
	write := func(w io.Writer) error {
		for i := 0; i < len(big); i += 4096 {
			if _, err := io.WriteString(w, big[i:min(i+4096, len(big))]); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := build(write); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dest, "search", "index.json")); err != nil || string(got) != big {
		t.Fatalf("streamed file: %d bytes, %v; want %d", len(got), err, len(big))
	}
	// A web server running as another user must be able to read it, as
	// it reads every other file (a temporary file is made 0600).
	if info, err := os.Stat(filepath.Join(dest, "search", "index.json")); err != nil || info.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("streamed file's mode: %v, %v; want it readable by all, as written files are", info.Mode(), err)
	}
	if d, err := build(write); err != nil || d.Reused() != 1 {
		t.Errorf("the same stream again: %d kept, %v; want it kept", d.Reused(), err)
	}
	oops := errors.New("the index cannot be made")
	if _, err := build(func(w io.Writer) error { io.WriteString(w, "half"); return oops }); !errors.Is(err, oops) {
		t.Errorf("a failing maker: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "search", "index.json")); string(got) != big {
		t.Errorf("a failed stream changed the destination")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.lanmu-*")); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}

// A build stopped while it updated the destination in place (here after
// one of its renames; its lock let go as a killed process's is) is
// finished by the next build's Begin, so that the destination holds the
// stopped build's site whole. A stopped build's staging folder without a
// journal is removed, and a live build's folder is left alone.
func TestRecoverFinishesAStoppedUpdate(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/a/index.html", "/b/index.html", "/c/index.html"} {
		first.Write(p, []byte("旧 "+p))
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a/index.html": "旧 /a/index.html", "b/index.html": "新 /b/index.html", "d/e/index.html": "新 /d/e/index.html"}
	stopped, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range want {
		stopped.Write("/"+filepath.ToSlash(p), []byte(data))
	}
	if err := stopped.writeManifest(); err != nil {
		t.Fatal(err)
	}
	u := stopped.plan()
	if err := u.save(stopped.tmp); err != nil {
		t.Fatal(err)
	}
	if err := (update{remove: u.remove, moves: u.moves[:1]}).apply(dest, stopped.tmp, stopped.mkdir); err != nil {
		t.Fatal(err)
	}
	stopped.unlock()

	live, err := Begin(dest) // finishes the stopped build first
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()
	dead := filepath.Join(filepath.Dir(dest), ".public.lanmu-dead")
	os.MkdirAll(filepath.Join(dead, "x"), 0o755)
	os.WriteFile(filepath.Join(dead, "x", "index.html"), []byte("half"), 0o644)
	got := map[string]string{}
	filepath.WalkDir(dest, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && e.Name() != ManifestName {
			rel, _ := filepath.Rel(dest, p)
			data, _ := os.ReadFile(p)
			got[rel] = string(data)
		}
		return nil
	})
	if !maps.Equal(got, want) {
		t.Errorf("after recovery the destination holds %v, want %v", got, want)
	}
	if listed := Listed(dest); len(listed) != len(want) {
		t.Errorf("the manifest lists %v", listed)
	}
	if err := Recover(dest); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.lanmu-*"))
	if len(left) != 1 || left[0] != live.tmp {
		t.Errorf("staging folders after recovery: %v, want only the live build's %s", left, live.tmp)
	}
}

// A journal is read from beside the destination, where another user may
// have written it: it cannot reach outside the destination.
func TestRecoverRefusesAJournalLeavingTheDestination(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(dest, 0o755)
	victim := filepath.Join(filepath.Dir(dest), "victim.txt")
	os.WriteFile(victim, []byte("keep"), 0o644)
	tmp := filepath.Join(filepath.Dir(dest), ".public.lanmu-evil")
	os.MkdirAll(tmp, 0o755)
	os.WriteFile(filepath.Join(tmp, journalName), []byte("remove \"/../victim.txt\"\nend\n"), 0o644)
	if err := Recover(dest); err == nil || !strings.Contains(err.Error(), "not a clean path") {
		t.Errorf("Recover: %v", err)
	}
	if _, err := os.Stat(victim); err != nil {
		t.Errorf("a file outside the destination was removed: %v", err)
	}
}

// A destination that is a symbolic link, as a web server's folder often
// is, is written where it leads, and stays a link; the folder and the
// user's own files and folders in it keep their modes, and an empty folder
// of theirs stays.
func TestSymlinkedDestinationKeepsItsLinkAndModes(t *testing.T) {
	www := filepath.Join(t.TempDir(), "www")
	os.MkdirAll(filepath.Join(www, "private"), 0o700)
	os.Chmod(www, 0o750|os.ModeSetgid)
	os.Chmod(filepath.Join(www, "private"), 0o700)
	os.MkdirAll(filepath.Join(www, "empty"), 0o755)
	os.WriteFile(filepath.Join(www, "private", "key"), []byte("k"), 0o600)
	modes := map[string]os.FileMode{}
	for _, p := range []string{".", "private", "private/key", "empty"} {
		info, err := os.Stat(filepath.Join(www, p))
		if err != nil {
			t.Fatal(err)
		}
		modes[p] = info.Mode()
	}
	if modes["."]&os.ModeSetgid == 0 {
		t.Fatal("cannot set the setgid bit here")
	}
	dest := filepath.Join(t.TempDir(), "public")
	if err := os.Symlink(www, dest); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"一", "二"} {
		d, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		d.Write("/index.html", []byte(text))
		d.Write("/news/"+text+"/index.html", []byte(text))
		if err := d.Commit(); err != nil {
			t.Fatalf("build %s: %v", text, err)
		}
	}
	if info, err := os.Lstat(dest); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the destination is no longer a link: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(www, "index.html")); string(got) != "二" {
		t.Errorf("index.html = %q", got)
	}
	if _, err := os.Stat(filepath.Join(www, "news", "一")); !os.IsNotExist(err) {
		t.Errorf("the first build's page is still there: %v", err)
	}
	for p, want := range modes {
		if info, err := os.Stat(filepath.Join(www, p)); err != nil || info.Mode() != want {
			t.Errorf("%s: mode %v, %v; want %v as before the builds", p, info.Mode(), err, want)
		}
	}
	for _, dir := range []string{filepath.Dir(dest), filepath.Dir(www)} {
		if left, _ := filepath.Glob(filepath.Join(dir, ".*lanmu-*")); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	}
}

// Symbolic links do not get a destination past CheckDest: one that leads
// into the site's content/, or to the site folder itself, is refused.
func TestCheckDestFollowsLinks(t *testing.T) {
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	links := t.TempDir()
	intoContent := filepath.Join(links, "out")
	toSite := filepath.Join(links, "site")
	os.Symlink(filepath.Join(site, "content"), intoContent)
	os.Symlink(site, toSite)
	for _, bad := range []string{intoContent, filepath.Join(intoContent, "public"), toSite} {
		if err := CheckDest(site, bad); err == nil {
			t.Errorf("CheckDest(%s) accepted a link into the site", bad)
		}
	}
	if err := CheckDest(toSite, filepath.Join(site, "content")); err == nil {
		t.Errorf("CheckDest accepted content/ of a site named through a link")
	}
	if err := CheckDest(toSite, filepath.Join(toSite, "public")); err != nil {
		t.Errorf("CheckDest refused public/ of a site named through a link: %v", err)
	}
}
