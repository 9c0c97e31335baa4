// Package images makes the small copies of photos that pages show, so that a
// list of teachers does not make every reader download every full-size
// camera photo. It reads JPEG, PNG, GIF (the first frame) and WebP, turns
// JPEGs upright as their EXIF orientation says (the rare orientation tags of
// PNG and WebP files are not read), resizes with Catmull-Rom, the sharpest
// kernel golang.org/x/image/draw offers, never enlarges, and keeps what it
// made in a cache folder keyed by the source's content, so a rebuild reuses
// the files instead of decoding and resizing again.
//
// Thumbnails of photos are JPEG. A source with transparent pixels gives PNG,
// which keeps them; any other source that is not a JPEG (a PNG, GIF or WebP
// without transparency is as often a drawing as a photo) gives whichever of
// JPEG and PNG is smaller.
package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"lanmu/generator/messages"
)

// version is part of every cache key: change it whenever a change here
// would make different bytes from the same source, so old files are not
// served.
const version = "1"

// Quality is the JPEG quality of thumbnails: above 80 faces keep their
// skin tones; beyond 85 the files grow faster than they improve.
const Quality = 82

// MaxPixels bounds the images lanmu decodes. A tiny file can declare a huge
// image and make the decoder allocate gigabytes; 120 megapixels admits the
// largest phone photos.
const MaxPixels = 120_000_000

// decoders are the formats lanmu reads, registered here rather than through
// image.RegisterFormat so that nothing else in the program changes what it
// accepts.
var decoders = map[string]struct {
	decode func([]byte) (image.Image, error)
	config func([]byte) (image.Config, error)
}{
	"jpeg": {func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) },
		func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }},
	"png": {func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) },
		func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }},
	"gif": {func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) },
		func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) }},
	"webp": {func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) },
		func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }},
}

// sniff names the format of an image file from its first bytes.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

// Source is an image file whose header has been read.
type Source struct {
	Format string // jpeg, png, gif or webp
	// Width and Height are as the image is shown: for a JPEG turned by its
	// EXIF orientation, the turned size.
	Width, Height int
	// Orientation is the EXIF orientation, 1 to 8; 1 for all but JPEGs.
	Orientation int

	data []byte
	sum  [sha256.Size]byte
}

// Sum returns the SHA-256 of the file, in hex.
func (s *Source) Sum() string { return hex.EncodeToString(s.sum[:]) }

// Inspect reads an image file's header: its format and size. It does not
// decode the pixels, so it is cheap enough to call on every build.
func Inspect(data []byte) (*Source, error) {
	format := sniff(data)
	if format == "" {
		return nil, messages.Errorf("not a JPEG, PNG, GIF or WebP image")
	}
	cfg, err := decoders[format].config(data)
	if err != nil {
		return nil, damaged(format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, messages.Errorf("the %s image has no pixels (%d×%d)", formatNames[format], cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, messages.Errorf("the image is %d×%d pixels, more than the %d megapixels lanmu resizes: save it smaller", cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	s := &Source{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1, data: data, sum: sha256.Sum256(data)}
	if format == "jpeg" {
		s.Orientation = jpegOrientation(data)
		if transposed(s.Orientation) {
			s.Width, s.Height = s.Height, s.Width
		}
	}
	return s, nil
}

var formatNames = map[string]string{"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP"}

func damaged(format string, err error) error {
	return messages.Errorf("the %s image is damaged or cut short: %v", formatNames[format], err)
}

// HeightAt is the height of the source shown width pixels wide, rounded,
// and at least one pixel.
func (s *Source) HeightAt(width int) int {
	h := (2*width*s.Height + s.Width) / (2 * s.Width)
	return max(h, 1)
}

// Thumb is one resized copy of a source.
type Thumb struct {
	Width, Height int
	Ext           string // ".jpg" or ".png"
	Data          []byte
}

// Cache makes thumbnails and keeps them in a folder, one file per source,
// width and version, named by the hash of those. It is safe for concurrent
// use: files are written under a temporary name and renamed into place, so
// a reader sees a whole file or none, and two builds making the same file
// write the same bytes.
type Cache struct {
	dir string

	made, reused atomic.Int64
	mu           sync.Mutex
	writeErr     error
}

// NewCache returns a cache keeping its files in dir, created when first
// needed. With dir "" nothing is kept and every thumbnail is made afresh.
func NewCache(dir string) *Cache { return &Cache{dir: dir} }

// Stats says how many thumbnails this cache resized and how many it read
// back from its folder.
func (c *Cache) Stats() (made, reused int) { return int(c.made.Load()), int(c.reused.Load()) }

// WriteErr returns the first failure to keep a thumbnail in the folder, or
// nil. Such a failure does not fail the thumbnail: it is made again next time.
func (c *Cache) WriteErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writeErr
}

// key names a thumbnail in the cache.
func (c *Cache) key(s *Source, width int) string {
	h := sha256.New()
	fmt.Fprintf(h, "lanmu images %s\x00%s\x00%d\x00q%d\x00", version, s.Format, width, Quality)
	h.Write(s.sum[:])
	return hex.EncodeToString(h.Sum(nil))
}

// Thumbnails returns the source resized to each of the widths narrower than
// it, in the order given; wider or equal widths are skipped, as enlarging
// only adds bytes. Thumbnails already in the cache folder are read back;
// the source is decoded at most once, and only when one is missing.
func (c *Cache) Thumbnails(s *Source, widths []int) ([]Thumb, error) {
	var out []Thumb
	var missing []int // indexes into out
	for _, w := range widths {
		if w <= 0 || w >= s.Width {
			continue
		}
		t := Thumb{Width: w, Height: s.HeightAt(w)}
		if c.lookup(s, &t) {
			c.reused.Add(1)
		} else {
			missing = append(missing, len(out))
		}
		out = append(out, t)
	}
	if len(missing) == 0 {
		return out, nil
	}
	img, err := decoders[s.Format].decode(s.data)
	if err != nil {
		return nil, damaged(s.Format, err)
	}
	opaque := isOpaque(img)
	// A kernel's cost grows with the source, not the result: each width
	// scaled from a 12-megapixel photo takes as long as the first. So a
	// large source is first scaled once to twice the widest thumbnail, and
	// every thumbnail made from that; a final step of 2:1 or less loses
	// nothing visible.
	widest := out[missing[0]].Width
	for _, i := range missing {
		widest = max(widest, out[i].Width)
	}
	if s.Width > 2*widest {
		img = scale(img, s.Orientation, 2*widest, s.HeightAt(2*widest))
	}
	for _, i := range missing {
		t := &out[i]
		small := orient(scale(img, s.Orientation, t.Width, t.Height), s.Orientation)
		if t.Data, t.Ext, err = encode(small, s.Format, opaque); err != nil {
			return nil, err
		}
		c.made.Add(1)
		c.store(s, t)
	}
	return out, nil
}

// lookup fills t from the cache folder when it holds a good copy: one whose
// header has the size expected, so a damaged file is made again.
func (c *Cache) lookup(s *Source, t *Thumb) bool {
	if c.dir == "" {
		return false
	}
	key := c.key(s, t.Width)
	for _, ext := range []string{".jpg", ".png"} {
		data, err := os.ReadFile(filepath.Join(c.dir, key+ext))
		if err != nil {
			continue
		}
		var cfg image.Config
		if ext == ".jpg" {
			cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
		} else {
			cfg, err = png.DecodeConfig(bytes.NewReader(data))
		}
		if err == nil && cfg.Width == t.Width && cfg.Height == t.Height {
			t.Data, t.Ext = data, ext
			return true
		}
	}
	return false
}

// store writes a thumbnail to the cache folder, remembering the first
// failure.
func (c *Cache) store(s *Source, t *Thumb) {
	if c.dir == "" {
		return
	}
	err := writeAtomic(c.dir, c.key(s, t.Width)+t.Ext, t.Data)
	if err != nil {
		c.mu.Lock()
		if c.writeErr == nil {
			c.writeErr = err
		}
		c.mu.Unlock()
	}
}

func writeAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// isOpaque reports whether no pixel of img is even partly transparent.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xFFFF {
				return false
			}
		}
	}
	return true
}

// scale resizes a stored image so that, once turned upright by its
// orientation, it is width×height; it stays as stored.
func scale(img image.Image, orientation, width, height int) *image.RGBA {
	if transposed(orientation) {
		width, height = height, width
	}
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

// encode writes a thumbnail in the format the package comment describes.
func encode(img *image.RGBA, format string, opaque bool) ([]byte, string, error) {
	var jpg, pngData bytes.Buffer
	if opaque {
		if err := jpeg.Encode(&jpg, img, &jpeg.Options{Quality: Quality}); err != nil {
			return nil, "", err
		}
		if format == "jpeg" {
			return jpg.Bytes(), ".jpg", nil
		}
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&pngData, img); err != nil {
		return nil, "", err
	}
	if opaque && jpg.Len() <= pngData.Len() {
		return jpg.Bytes(), ".jpg", nil
	}
	return pngData.Bytes(), ".png", nil
}

// Name is the file name of a thumbnail of the file called name:
// "photo.png" at 320 pixels as JPEG is "photo-320w.jpg".
func Name(name string, t Thumb) string {
	ext := path.Ext(name)
	return name[:len(name)-len(ext)] + "-" + strconv.Itoa(t.Width) + "w" + t.Ext
}
