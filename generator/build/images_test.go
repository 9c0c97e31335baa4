package build

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"lanmu/generator/diag"
	"lanmu/generator/output"
	"lanmu/internal/testsite"
)

// portrait is a photo-like w×h picture: gradients and grain, so that its
// JPEG is of a camera photo's kind.
func portrait(t testing.TB, w, h int, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			n := uint8((x*7 + y*13) % 23)
			img.Set(x, y, color.RGBA{uint8(x*180/w) + n, uint8(y*180/h) + n, 140 + n, 255})
		}
	}
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 92})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// teacherSite is a site with one teacher whose bundle holds photo.jpg.
func teacherSite(t *testing.T, photo []byte) string {
	t.Helper()
	dir := testsite.Write(t, map[string]string{
		"lanmu.toml":                     "title = \"站\"\nbaseURL = \"https://example.org/sub/\"\n",
		"content/_index.md":              "---\ntitle: 首页\n---\n",
		"content/teachers/_index.md":     "---\ntitle: 师资库\n---\n",
		"content/teachers/wang/index.md": "---\ntitle: 王老师\nlevel: county\nphoto: photo.jpg\n---\n\n简介。\n",
	})
	if err := os.WriteFile(filepath.Join(dir, "content/teachers/wang/photo.jpg"), photo, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// renderSite loads and renders a site in memory.
func renderSite(t *testing.T, dir string) (*Site, map[string][]byte) {
	t.Helper()
	site, err := Load(Options{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	mem := output.NewMemory()
	if _, err := site.Render(mem); err != nil {
		t.Fatal(err)
	}
	return site, mem.Files()
}

// avatars returns the attributes of every img.avatar of a page.
func avatars(t *testing.T, page []byte) []map[string]string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "img" {
			continue
		}
		attrs := map[string]string{}
		for _, a := range n.Attr {
			attrs[a.Key] = a.Val
		}
		if strings.Contains(attrs["class"], "avatar") {
			out = append(out, attrs)
		}
	}
	return out
}

func decodedWidth(t *testing.T, name string, data []byte) (int, int) {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not an image: %v", name, err)
	}
	return cfg.Width, cfg.Height
}

func TestExampleTeacherPhotosHaveSrcsetOfFilesThatExist(t *testing.T) {
	dest := buildExample(t, Options{})
	for _, page := range []string{"teachers/li-hongmei/index.html", "teachers/index.html"} {
		imgs := avatars(t, []byte(readOut(t, dest, page)))
		if len(imgs) == 0 {
			t.Fatalf("%s shows no teacher photo", page)
		}
		for _, img := range imgs {
			if img["srcset"] == "" || img["sizes"] == "" || img["width"] == "" || img["height"] == "" || img["alt"] == "" {
				t.Fatalf("%s: <img> lacks srcset, sizes, width, height or alt: %v", page, img)
			}
			// The box the theme draws is the photo's 4:5, so nothing shifts
			// when the photo arrives and nothing is cropped away.
			if img["width"]+"×"+img["height"] != "160×200" && img["width"]+"×"+img["height"] != "72×90" {
				t.Errorf("%s: width×height %s×%s is not a theme box", page, img["width"], img["height"])
			}
			urls := []string{img["src"]}
			for _, c := range strings.Split(img["srcset"], ", ") {
				url, desc, ok := strings.Cut(c, " ")
				if !ok || !strings.HasSuffix(desc, "w") {
					t.Fatalf("%s: srcset candidate %q", page, c)
				}
				urls = append(urls, url)
				file := strings.TrimPrefix(url, "/xxjy/")
				if file == url {
					t.Errorf("%s: %s lacks the site's base path", page, url)
				}
				data, err := os.ReadFile(filepath.Join(dest, file))
				if err != nil {
					t.Errorf("%s: srcset names %s, which is not in the output", page, url)
					continue
				}
				w, h := decodedWidth(t, file, data)
				if strconv.Itoa(w)+"w" != desc {
					t.Errorf("%s: %s is %d pixels wide, srcset says %s", page, url, w, desc)
				}
				if d := w*5 - h*4; d > 5 || d < -5 {
					t.Errorf("%s: %s is %d×%d, not the photo's 4:5", page, url, w, h)
				}
			}
			if _, err := os.Stat(filepath.Join(dest, strings.TrimPrefix(img["src"], "/xxjy/"))); err != nil {
				t.Errorf("%s: src %s is not in the output", page, img["src"])
			}
		}
	}
	// The original is still published, for print and full-size links.
	readOut(t, dest, "teachers/li-hongmei/photo.png")
	if !strings.Contains(readOut(t, dest, "teachers/li-hongmei/index.html"), `srcset="/xxjy/teachers/li-hongmei/photo-80w.jpg 80w, /xxjy/teachers/li-hongmei/photo-160w.jpg 160w`) {
		t.Error("the teacher page does not offer the 80 and 160 pixel copies first")
	}
}

func TestTeacherPhotoThumbnailsAreMadeOnceAndReused(t *testing.T) {
	dir := teacherSite(t, portrait(t, 1200, 1500, "jpeg"))

	start := time.Now()
	site1, files1 := renderSite(t, dir)
	cold := time.Since(start)
	made, reused := site1.images.Stats()
	if made != 4 || reused != 0 {
		t.Fatalf("the first build made %d and reused %d thumbnails, want 4 and 0", made, reused)
	}
	cache := filepath.Join(dir, filepath.FromSlash(ImageCacheDir))
	entries, err := os.ReadDir(cache)
	if err != nil || len(entries) != 4 {
		t.Fatalf("the cache folder %s holds %d files (%v), want 4", cache, len(entries), err)
	}
	mtimes := map[string]time.Time{}
	for _, e := range entries {
		info, _ := e.Info()
		mtimes[e.Name()] = info.ModTime()
	}
	var thumbs []string
	for p := range files1 {
		if strings.HasPrefix(p, "/teachers/wang/photo-") {
			thumbs = append(thumbs, p)
		}
	}
	slices.Sort(thumbs)
	want := []string{"/teachers/wang/photo-160w.jpg", "/teachers/wang/photo-320w.jpg", "/teachers/wang/photo-480w.jpg", "/teachers/wang/photo-80w.jpg"}
	if !slices.Equal(thumbs, want) {
		t.Errorf("thumbnails written: %v, want %v", thumbs, want)
	}
	if _, ok := files1["/teachers/wang/photo.jpg"]; !ok {
		t.Error("the original photo is no longer published")
	}
	imgs := avatars(t, files1["/teachers/wang/index.html"])
	if len(imgs) != 1 || imgs[0]["src"] != "/sub/teachers/wang/photo-320w.jpg" || imgs[0]["sizes"] != "160px" {
		t.Errorf("the teacher page's photo: %v", imgs)
	}

	time.Sleep(20 * time.Millisecond) // a rewrite would show in the times
	start = time.Now()
	site2, files2 := renderSite(t, dir)
	warm := time.Since(start)
	if made, reused := site2.images.Stats(); made != 0 || reused != 4 {
		t.Errorf("the second build made %d and reused %d thumbnails, want 0 and 4", made, reused)
	}
	for _, p := range want {
		if !bytes.Equal(files1[p], files2[p]) {
			t.Errorf("%s differs between the builds", p)
		}
	}
	for name, m := range mtimes {
		info, err := os.Stat(filepath.Join(cache, name))
		if err != nil || !info.ModTime().Equal(m) {
			t.Errorf("cache file %s was written again or removed", name)
		}
	}
	t.Logf("a 1200×1500 teacher photo: build with resizing %v, with the cache %v", cold, warm)

	// The cache folder is not content: no build publishes or reads it.
	if !slices.Equal(slices.Sorted(maps.Keys(files1)), slices.Sorted(maps.Keys(files2))) {
		t.Error("the second build wrote a different set of files")
	}
	for p := range files2 {
		if strings.Contains(p, "resources") || strings.Contains(p, "_gen") {
			t.Errorf("the cache was published as %s", p)
		}
	}
	if err := output.CheckDest(dir, filepath.Join(dir, "resources")); err == nil {
		t.Error("a build may write over the resources/ folder and its cache")
	}
}

func TestSessionReusesThumbnailsAndNoticesANewPhoto(t *testing.T) {
	dir := teacherSite(t, portrait(t, 800, 1000, "jpeg"))
	s := NewSession(Options{Source: dir})
	first, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if made, _ := first.Site.images.Stats(); made != 4 {
		t.Fatalf("the first live build made %d thumbnails, want 4", made)
	}
	again, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if made, reused := again.Site.images.Stats(); made != 0 || reused != 4 {
		t.Errorf("a live rebuild made %d and reused %d thumbnails, want 0 and 4", made, reused)
	}
	if len(again.Changed) != 0 {
		t.Errorf("a rebuild without changes changed %v", again.Changed)
	}

	// A landscape photo under the same name: new copies, and the pages
	// showing it are rendered again with the wider drawing size.
	photo := filepath.Join(dir, "content/teachers/wang/photo.jpg")
	if err := os.WriteFile(photo, portrait(t, 1000, 500, "jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if made, _ := third.Site.images.Stats(); made != 4 {
		t.Errorf("a new photo made %d thumbnails, want 4", made)
	}
	for _, p := range []string{"/teachers/wang/index.html", "/teachers/index.html", "/teachers/wang/photo-160w.jpg"} {
		if !slices.Contains(third.Changed, p) {
			t.Errorf("%s is not among the changed outputs %v", p, third.Changed)
		}
	}
	imgs := avatars(t, third.Files["/teachers/wang/index.html"])
	// A 2:1 photo covering a 160×200 box is drawn 400 pixels wide.
	if len(imgs) != 1 || imgs[0]["sizes"] != "400px" {
		t.Errorf("after the new photo the page shows %v", imgs)
	}
	if w, h := decodedWidth(t, "photo-160w.jpg", third.Files["/teachers/wang/photo-160w.jpg"]); w != 160 || h != 80 {
		t.Errorf("the new photo's 160 pixel copy is %d×%d, want 160×80", w, h)
	}
}

func TestBadTeacherPhotosArePositionedErrors(t *testing.T) {
	good := portrait(t, 400, 500, "png")
	for _, tc := range []struct {
		name  string
		photo []byte
		want  string
	}{
		{"not an image", []byte("这不是照片"), `photo "photo.jpg": not a JPEG, PNG, GIF or WebP image`},
		{"cut short", good[:len(good)/2], `photo "photo.jpg": the PNG image is damaged or cut short`},
		{"empty", nil, `photo "photo.jpg": not a JPEG, PNG, GIF or WebP image`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := teacherSite(t, tc.photo)
			dest := filepath.Join(dir, "public")
			_, err := Build(Options{Source: dir, Dest: dest})
			problems := diag.Of(err)
			if len(problems) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			p := problems[0]
			if p.Path != "content/teachers/wang/index.md" || p.Line != 4 || p.Col != 1 || !strings.Contains(p.Msg, tc.want) {
				t.Errorf("got %s, want content/teachers/wang/index.md:4:1: %s…", p.Error(), tc.want)
			}
			if _, err := os.Stat(dest); err == nil {
				t.Error("the failed build wrote its output")
			}
		})
	}
}

func TestUnreadablePhotoIsAPositionedError(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root reads every file")
	}
	dir := teacherSite(t, portrait(t, 400, 500, "jpeg"))
	if err := os.Chmod(filepath.Join(dir, "content/teachers/wang/photo.jpg"), 0); err != nil {
		t.Fatal(err)
	}
	site, err := Load(Options{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = site.Render(output.NewMemory())
	problems := diag.Of(err)
	if len(problems) != 1 || problems[0].Line != 4 || !strings.Contains(problems[0].Msg, "cannot be read") {
		t.Errorf("got %v", err)
	}
}

func TestAThumbnailNameTakenByABundleFileIsAnError(t *testing.T) {
	dir := teacherSite(t, portrait(t, 400, 500, "jpeg"))
	if err := os.WriteFile(filepath.Join(dir, "content/teachers/wang/photo-160w.jpg"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(Options{Source: dir, Dest: filepath.Join(dir, "public")})
	problems := diag.Of(err)
	if len(problems) != 1 || problems[0].Line != 4 || !strings.Contains(problems[0].Msg, "content/teachers/wang/photo-160w.jpg") {
		t.Errorf("got %v, want an error at the photo line naming the file in the way", err)
	}
}

func TestPhotoSrcsetAndSizes(t *testing.T) {
	ph := &Photo{URL: "/t/p.png", Width: 400, Height: 500,
		Thumbs: []Thumb{{"/t/p-80w.jpg", 80, 100}, {"/t/p-160w.jpg", 160, 200}}}
	ph.candidates = append(ph.Thumbs, Thumb{ph.URL, 400, 500})
	if got, want := ph.Srcset(), "/t/p-80w.jpg 80w, /t/p-160w.jpg 160w, /t/p.png 400w"; got != want {
		t.Errorf("Srcset() = %q, want %q", got, want)
	}
	for width, want := range map[int]string{1: "/t/p-80w.jpg", 80: "/t/p-80w.jpg", 81: "/t/p-160w.jpg", 320: "/t/p.png", 2000: "/t/p.png"} {
		if got := ph.Fit(width); got != want {
			t.Errorf("Fit(%d) = %q, want %q", width, got, want)
		}
	}
	for _, tc := range []struct{ w, h, box, boxH int }{{400, 500, 160, 200}, {1000, 500, 400, 200}, {300, 600, 160, 200}, {601, 500, 241, 200}} {
		ph := &Photo{Width: tc.w, Height: tc.h}
		if got, want := ph.Sizes(160, 200), strconv.Itoa(tc.box)+"px"; got != want {
			t.Errorf("a %d×%d photo covering 160×200: Sizes = %s, want %s", tc.w, tc.h, got, want)
		}
	}
	svg := &Photo{URL: "/t/p.svg", candidates: []Thumb{{URL: "/t/p.svg"}}}
	if svg.Srcset() != "" || svg.Fit(320) != "/t/p.svg" || svg.Sizes(72, 90) != "72px" {
		t.Errorf("an SVG photo: srcset %q, src %q, sizes %q", svg.Srcset(), svg.Fit(320), svg.Sizes(72, 90))
	}
}
