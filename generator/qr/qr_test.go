package qr

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lanmu/internal/qrscan"
)

// rasterise paints the code's path, as a browser would, at scale pixels a
// module: the path is the only thing that draws dark modules.
func rasterise(t *testing.T, c Code, scale int) image.Image {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, c.Modules*scale, c.Modules*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	d := regexp.MustCompile(` d="([^"]*)"`).FindStringSubmatch(c.SVG)
	if d == nil {
		t.Fatalf("no path in %s", c.SVG)
	}
	run := regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	for rest := d[1]; rest != ""; {
		m := run.FindStringSubmatch(rest)
		if m == nil || m[3] != m[4] {
			t.Fatalf("the path is not runs of squares at %.40q", rest)
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
		rest = rest[len(m[0]):]
	}
	return img
}

// The codes decode, with a decoder lanmu did not write, to the text given:
// short addresses, a long Chinese one and one at the limit of a small
// version, each with its quiet zone clear.
func TestCodesDecode(t *testing.T) {
	dir := t.TempDir()
	texts := []string{
		"https://www.example.gov.cn/xxjy/s/abcdef/",
		"http://127.0.0.1/s/k2m9qa/",
		"https://www.example.gov.cn/xxjy/readings/%E5%AD%A6%E4%B9%A0%E5%85%9A%E7%AB%A0/",
	}
	for i, text := range texts {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.SVG, `viewBox="0 0 `+strconv.Itoa(c.Modules)) {
			t.Errorf("the viewBox does not count the %d modules: %.120s", c.Modules, c.SVG)
		}
		img := rasterise(t, c, 6)
		// The quiet zone: no dark module within four of the edge.
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				inside := x >= QuietZone*6 && y >= QuietZone*6 && x < b.Max.X-QuietZone*6 && y < b.Max.Y-QuietZone*6
				if r, _, _, _ := img.At(x, y).RGBA(); r == 0 && !inside {
					t.Fatalf("%s: a dark pixel at %d,%d, in the quiet zone", text, x, y)
				}
			}
		}
		name := filepath.Join(dir, strconv.Itoa(i)+".png")
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if got := qrscan.Decode(t, name); len(got) != 1 || got[0] != text {
			t.Errorf("zbarimg read %q, want %q", got, text)
		}
	}
}

// A short address fits a code small enough for a card: version 3 or 4
// (29 or 33 modules) with the quiet zone, so at 0.4 mm a module it is
// under 17 mm wide.
func TestShortAddressesMakeSmallCodes(t *testing.T) {
	c, err := Encode("https://www.example.gov.cn/xxjy/s/abcdef/")
	if err != nil {
		t.Fatal(err)
	}
	if c.Modules > 33+2*QuietZone {
		t.Errorf("a short address takes %d modules", c.Modules)
	}
}
