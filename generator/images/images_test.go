package images

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// photo is a photo-like picture: smooth gradients with grain, which JPEG
// compresses well and PNG does not.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(24))
			img.Set(x, y, color.RGBA{uint8(x*200/w) + n, uint8(y*200/h) + n, 120 + n, 255})
		}
	}
	return img
}

// drawing is a flat picture, like the example's placeholder portrait.
func drawing(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{230, 235, 242, 255}
			if (x-w/2)*(x-w/2)+(y-h/3)*(y-h/3) < w*w/16 {
				c = color.RGBA{138, 154, 168, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func inspect(t testing.TB, data []byte) *Source {
	t.Helper()
	s, err := Inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// decode reads a thumbnail back, checking it is what its extension says.
func decode(t *testing.T, th Thumb) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch th.Ext {
	case ".jpg":
		img, err = jpeg.Decode(bytes.NewReader(th.Data))
	case ".png":
		img, err = png.Decode(bytes.NewReader(th.Data))
	default:
		t.Fatalf("thumbnail extension %q", th.Ext)
	}
	if err != nil {
		t.Fatalf("thumbnail %dw (%s) does not decode: %v", th.Width, th.Ext, err)
	}
	return img
}

func TestThumbnailsKeepTheAspectRatioAndNeverEnlarge(t *testing.T) {
	widths := []int{80, 160, 320, 480}
	for _, tc := range []struct {
		name string
		data []byte
		want [][2]int // width, height of each thumbnail
	}{
		{"portrait PNG 400×500", encodePNG(t, drawing(400, 500)), [][2]int{{80, 100}, {160, 200}, {320, 400}}},
		{"landscape JPEG 1000×667", encodeJPEG(t, photo(1000, 667)), [][2]int{{80, 53}, {160, 107}, {320, 213}, {480, 320}}},
		{"exactly 320 wide", encodeJPEG(t, photo(320, 400)), [][2]int{{80, 100}, {160, 200}}},
		{"narrower than every width", encodeJPEG(t, photo(60, 75)), nil},
		{"a thin strip", encodePNG(t, photo(1000, 2)), [][2]int{{80, 1}, {160, 1}, {320, 1}, {480, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := inspect(t, tc.data)
			thumbs, err := NewCache("").Thumbnails(src, widths)
			if err != nil {
				t.Fatal(err)
			}
			if len(thumbs) != len(tc.want) {
				t.Fatalf("got %d thumbnails, want %d: %+v", len(thumbs), len(tc.want), thumbs)
			}
			for i, th := range thumbs {
				if th.Width != tc.want[i][0] || th.Height != tc.want[i][1] {
					t.Errorf("thumbnail %d is %d×%d, want %d×%d", i, th.Width, th.Height, tc.want[i][0], tc.want[i][1])
				}
				b := decode(t, th).Bounds()
				if b.Dx() != th.Width || b.Dy() != th.Height {
					t.Errorf("thumbnail %d says %d×%d but its file is %d×%d", i, th.Width, th.Height, b.Dx(), b.Dy())
				}
				// The ratio is the source's to within the rounding of one pixel.
				// A height clamped to one pixel is the exception.
				if d := float64(th.Height) - float64(th.Width)*float64(src.Height)/float64(src.Width); th.Height > 1 && (d > 0.5 || d < -0.5) {
					t.Errorf("thumbnail %d is %d×%d: off the source's ratio %d:%d by %.2f px", i, th.Width, th.Height, src.Width, src.Height, d)
				}
			}
		})
	}
}

func TestThumbnailsLookLikeTheSource(t *testing.T) {
	// A left half red, right half blue source must give the same halves.
	src := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for y := range 300 {
		for x := range 400 {
			c := color.RGBA{200, 20, 20, 255}
			if x >= 200 {
				c = color.RGBA{20, 20, 200, 255}
			}
			src.Set(x, y, c)
		}
	}
	thumbs, err := NewCache("").Thumbnails(inspect(t, encodeJPEG(t, src)), []int{100})
	if err != nil || len(thumbs) != 1 {
		t.Fatalf("%v %v", thumbs, err)
	}
	img := decode(t, thumbs[0])
	near(t, "left", img.At(10, 37), color.RGBA{200, 20, 20, 255})
	near(t, "right", img.At(90, 37), color.RGBA{20, 20, 200, 255})
}

func near(t *testing.T, where string, got color.Color, want color.RGBA) {
	t.Helper()
	r, g, b, a := got.RGBA()
	diff := func(x uint32, y uint8) int { return max(int(x>>8)-int(y), int(y)-int(x>>8)) }
	if diff(r, want.R) > 24 || diff(g, want.G) > 24 || diff(b, want.B) > 24 || diff(a, want.A) > 8 {
		t.Errorf("%s: colour %d,%d,%d,%d, want about %v", where, r>>8, g>>8, b>>8, a>>8, want)
	}
}

func TestTransparentPNGKeepsItsAlpha(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 400, 400))
	for y := range 400 {
		for x := range 400 {
			if x >= 200 {
				src.Set(x, y, color.NRGBA{30, 160, 60, 255})
			} // the left half stays fully transparent
		}
	}
	thumbs, err := NewCache("").Thumbnails(inspect(t, encodePNG(t, src)), []int{80, 160})
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range thumbs {
		if th.Ext != ".png" {
			t.Fatalf("a transparent source gave a %s thumbnail", th.Ext)
		}
		img := decode(t, th)
		if _, _, _, a := img.At(2, th.Height/2).RGBA(); a != 0 {
			t.Errorf("%dw: the transparent half has alpha %d", th.Width, a>>8)
		}
		near(t, "opaque half", img.At(th.Width-3, th.Height/2), color.RGBA{30, 160, 60, 255})
	}
}

func TestFormatOfThumbnails(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"a JPEG photo", encodeJPEG(t, photo(600, 800)), ".jpg"},
		{"a JPEG of a drawing stays JPEG", encodeJPEG(t, drawing(600, 800)), ".jpg"},
		{"a PNG photo becomes JPEG", encodePNG(t, photo(600, 800)), ".jpg"},
		{"a one-colour PNG stays PNG", encodePNG(t, solid(600, 800, color.RGBA{200, 30, 30, 255})), ".png"},
		{"a flat PNG drawing", encodePNG(t, drawing(600, 800)), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := inspect(t, tc.data)
			thumbs, err := NewCache("").Thumbnails(src, []int{320})
			if err != nil {
				t.Fatal(err)
			}
			th := thumbs[0]
			if tc.want != "" && th.Ext != tc.want {
				t.Errorf("thumbnail is %s (%d bytes), want %s", th.Ext, len(th.Data), tc.want)
			}
			if src.Format == "jpeg" {
				return
			}
			// Any other opaque source gives the smaller of the two encodings.
			var other bytes.Buffer
			img := decode(t, th)
			if th.Ext == ".jpg" {
				err = png.Encode(&other, img)
			} else {
				err = jpeg.Encode(&other, img, &jpeg.Options{Quality: Quality})
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(th.Data) > other.Len() {
				t.Errorf("the %s thumbnail has %d bytes, the other format %d", th.Ext, len(th.Data), other.Len())
			}
		})
	}
}

// withEXIF inserts an APP1 EXIF segment holding only an orientation tag
// after a JPEG's SOI marker.
func withEXIF(jpg []byte, orientation int, order binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II*\x00")
	} else {
		copy(tiff, "MM\x00*")
	}
	order.PutUint32(tiff[4:], 8) // IFD0 right after the header
	order.PutUint16(tiff[8:], 1) // one entry
	e := tiff[10:]
	order.PutUint16(e[0:], 0x0112)
	order.PutUint16(e[2:], 3) // SHORT
	order.PutUint32(e[4:], 1)
	order.PutUint16(e[8:], uint16(orientation))
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func TestEXIFOrientationIsAppliedToThumbnails(t *testing.T) {
	// The stored image is 400×200: its top-left quadrant red, top-right
	// green, the bottom half grey. EXIF says where stored row 0 and column
	// 0 are when upright; from that, where the red and green corners end up.
	red, green := color.RGBA{220, 30, 30, 255}, color.RGBA{30, 200, 30, 255}
	stored := image.NewRGBA(image.Rect(0, 0, 400, 200))
	for y := range 200 {
		for x := range 400 {
			c := color.RGBA{128, 128, 128, 255}
			switch {
			case y < 100 && x < 200:
				c = red
			case y < 100:
				c = green
			}
			stored.Set(x, y, c)
		}
	}
	plain := encodeJPEG(t, stored)
	type corner int
	const (
		tl corner = iota
		tr
		bl
		br
	)
	for _, tc := range []struct {
		orientation int
		red, green  corner // where the stored top-left and top-right corners are shown
	}{
		{1, tl, tr}, {2, tr, tl}, {3, br, bl}, {4, bl, br},
		{5, tl, bl}, {6, tr, br}, {7, br, tr}, {8, bl, tl},
	} {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			data := withEXIF(plain, tc.orientation, order)
			src := inspect(t, data)
			if src.Orientation != tc.orientation {
				t.Fatalf("orientation %d (%v) read as %d", tc.orientation, order, src.Orientation)
			}
			wantW, wantH := 400, 200
			if tc.orientation >= 5 {
				wantW, wantH = 200, 400
			}
			if src.Width != wantW || src.Height != wantH {
				t.Errorf("orientation %d: shown size %d×%d, want %d×%d", tc.orientation, src.Width, src.Height, wantW, wantH)
			}
			thumbs, err := NewCache("").Thumbnails(src, []int{100})
			if err != nil {
				t.Fatal(err)
			}
			img := decode(t, thumbs[0])
			b := img.Bounds()
			at := func(c corner) color.Color {
				x, y := 4, 4
				if c == tr || c == br {
					x = b.Dx() - 5
				}
				if c == bl || c == br {
					y = b.Dy() - 5
				}
				return img.At(x, y)
			}
			name := func(what string) string { return what + " corner, orientation " + string(rune('0'+tc.orientation)) }
			near(t, name("red"), at(tc.red), red)
			near(t, name("green"), at(tc.green), green)
		}
	}
}

func TestOrientationOfOddFiles(t *testing.T) {
	jpg := encodeJPEG(t, photo(40, 30))
	for _, tc := range []struct {
		name string
		data []byte
		want int
	}{
		{"no EXIF", jpg, 1},
		{"not a JPEG", encodePNG(t, photo(4, 4)), 1},
		{"orientation 0", withEXIF(jpg, 0, binary.BigEndian), 1},
		{"orientation 9", withEXIF(jpg, 9, binary.LittleEndian), 1},
		{"cut inside the EXIF", withEXIF(jpg, 6, binary.BigEndian)[:30], 1},
		{"IFD offset past the end", func() []byte {
			d := withEXIF(jpg, 6, binary.BigEndian)
			binary.BigEndian.PutUint32(d[2+4+6+4:], 0xFFFFFFF0)
			return d
		}(), 1},
	} {
		if got := jpegOrientation(tc.data); got != tc.want {
			t.Errorf("%s: orientation %d, want %d", tc.name, got, tc.want)
		}
	}
}

// pngHeader is a PNG signature and an IHDR chunk declaring w×h, with no
// image data: enough for the header to be read.
func pngHeader(w, h uint32) []byte {
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := binary.BigEndian.AppendUint32(nil, 13)
	chunk = append(chunk, "IHDR"...)
	chunk = append(chunk, ihdr...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	return append(out, chunk...)
}

func TestBadImagesAreErrorsNotPanics(t *testing.T) {
	good := encodePNG(t, photo(300, 300))
	for _, tc := range []struct {
		name    string
		data    []byte
		inspect string // the error of Inspect, or "" when the header reads
		thumbs  string // the error of Thumbnails
	}{
		{"empty file", nil, "not a JPEG, PNG, GIF or WebP image", ""},
		{"text", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), "not a JPEG, PNG, GIF or WebP image", ""},
		{"PNG signature only", good[:8], "PNG image is damaged", ""},
		{"PNG cut after the header", good[:len(good)/3], "", "PNG image is damaged or cut short"},
		{"JPEG cut short", func() []byte { d := encodeJPEG(t, photo(300, 300)); return d[:len(d)/2] }(), "", "JPEG image is damaged or cut short"},
		{"a decompression bomb", pngHeader(20000, 20000), "more than the 120 megapixels", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Inspect(tc.data)
			if tc.inspect != "" {
				if err == nil || !strings.Contains(err.Error(), tc.inspect) {
					t.Fatalf("Inspect: %v, want an error containing %q", err, tc.inspect)
				}
				return
			}
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			_, err = NewCache(t.TempDir()).Thumbnails(src, []int{80})
			if err == nil || !strings.Contains(err.Error(), tc.thumbs) {
				t.Fatalf("Thumbnails: %v, want an error containing %q", err, tc.thumbs)
			}
		})
	}
}

func TestCacheReusesItsFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "resources", "_gen", "images")
	src := inspect(t, encodeJPEG(t, photo(1200, 1500)))
	widths := []int{80, 160, 320, 480}

	c1 := NewCache(dir)
	start := time.Now()
	first, err := c1.Thumbnails(src, widths)
	if err != nil {
		t.Fatal(err)
	}
	cold := time.Since(start)
	if made, reused := c1.Stats(); made != 4 || reused != 0 {
		t.Fatalf("a cold cache made %d and reused %d, want 4 and 0", made, reused)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 4 {
		t.Fatalf("the cache folder holds %v, want 4 files", files)
	}
	mtimes := map[string]time.Time{}
	for _, f := range files {
		info, _ := os.Stat(f)
		mtimes[f] = info.ModTime()
	}
	time.Sleep(10 * time.Millisecond) // so a rewrite would show in the times

	c2 := NewCache(dir) // a later build
	start = time.Now()
	second, err := c2.Thumbnails(src, widths)
	if err != nil {
		t.Fatal(err)
	}
	warm := time.Since(start)
	if made, reused := c2.Stats(); made != 0 || reused != 4 {
		t.Fatalf("a warm cache made %d and reused %d, want 0 and 4", made, reused)
	}
	for i := range first {
		if first[i].Width != second[i].Width || first[i].Height != second[i].Height || !bytes.Equal(first[i].Data, second[i].Data) {
			t.Errorf("thumbnail %d differs when read back from the cache", i)
		}
	}
	for f, m := range mtimes {
		if info, _ := os.Stat(f); !info.ModTime().Equal(m) {
			t.Errorf("%s was written again", f)
		}
	}
	t.Logf("1200×1500 JPEG to 4 widths: %v made, %v from the cache", cold, warm)

	// A damaged cache file is made again, the others still reused.
	if err := os.WriteFile(files[0], []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	c3 := NewCache(dir)
	if _, err := c3.Thumbnails(src, widths); err != nil {
		t.Fatal(err)
	}
	if made, reused := c3.Stats(); made != 1 || reused != 3 {
		t.Errorf("with one damaged file the cache made %d and reused %d, want 1 and 3", made, reused)
	}

	// Another source, even of the same size, has other files.
	other := inspect(t, encodeJPEG(t, drawing(1200, 1500)))
	c4 := NewCache(dir)
	if _, err := c4.Thumbnails(other, widths); err != nil {
		t.Fatal(err)
	}
	if made, _ := c4.Stats(); made != 4 {
		t.Errorf("a different photo reused cached thumbnails: made only %d", made)
	}
}

func TestCacheIsSafeForConcurrentBuilds(t *testing.T) {
	dir := t.TempDir()
	src := inspect(t, encodeJPEG(t, photo(800, 1000)))
	want, err := NewCache("").Thumbnails(src, []int{160, 320})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := NewCache(dir).Thumbnails(src, []int{160, 320})
			if err == nil && (!bytes.Equal(got[0].Data, want[0].Data) || !bytes.Equal(got[1].Data, want[1].Data)) {
				err = os.ErrInvalid
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a concurrent build got %v", err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the cache folder holds %v, want the two thumbnails and no temporary files", names)
	}
}

func TestUnwritableCacheStillMakesThumbnails(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "resources")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil { // a file where the folder should be
		t.Fatal(err)
	}
	c := NewCache(filepath.Join(blocker, "_gen", "images"))
	thumbs, err := c.Thumbnails(inspect(t, encodeJPEG(t, photo(400, 500))), []int{160})
	if err != nil || len(thumbs) != 1 || len(thumbs[0].Data) == 0 {
		t.Fatalf("got %v, %v", thumbs, err)
	}
	if c.WriteErr() == nil {
		t.Error("the failure to keep the thumbnail was not recorded")
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct{ name, ext, want string }{
		{"photo.png", ".jpg", "photo-320w.jpg"},
		{"img/zhang.san.JPG", ".jpg", "img/zhang.san-320w.jpg"},
		{"portrait", ".png", "portrait-320w.png"},
	} {
		if got := Name(tc.name, Thumb{Width: 320, Ext: tc.ext}); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	jpg := encodeJPEG(f, photo(8, 8))
	f.Add(jpg)
	f.Add(withEXIF(jpg, 6, binary.BigEndian))
	f.Add(withEXIF(jpg, 3, binary.LittleEndian))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

func FuzzInspect(f *testing.F) {
	f.Add(encodeJPEG(f, photo(16, 12)))
	f.Add(encodePNG(f, drawing(16, 12)))
	f.Add(pngHeader(3, 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := Inspect(data)
		if err != nil {
			return
		}
		if src.Width <= 0 || src.Height <= 0 || int64(src.Width)*int64(src.Height) > MaxPixels {
			t.Fatalf("Inspect accepted a %d×%d image", src.Width, src.Height)
		}
		if int64(src.Width)*int64(src.Height) <= 1<<20 { // decoding larger ones only tests memory
			NewCache("").Thumbnails(src, []int{4})
		}
	})
}

func BenchmarkThumbnails(b *testing.B) {
	data := encodeJPEG(b, photo(3000, 4000))
	src := inspect(b, data)
	widths := []int{80, 160, 320, 480}
	b.Run("made", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewCache("").Thumbnails(src, widths); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		dir := b.TempDir()
		if _, err := NewCache(dir).Thumbnails(src, widths); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := NewCache(dir).Thumbnails(inspect(b, data), widths); err != nil {
				b.Fatal(err)
			}
		}
	})
}
