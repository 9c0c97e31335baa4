package build

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"lanmu/generator/content"
	"lanmu/generator/diag"
	"lanmu/generator/images"
	"lanmu/generator/insite"
)

// ImageCacheDir is where, inside the site folder, resized photos are kept
// between builds (as Hugo keeps its own in resources/_gen). It is outside
// content/ and every other folder lanmu reads or watches, so writing there
// never starts a rebuild; deleting it only costs the next build time.
const ImageCacheDir = "resources/_gen/images"

// photoWidths are the widths photos are resized to. The default theme shows
// a teacher's photo in a 72×90 box on lists and a 160×200 box on the
// teacher's page; these serve both at one, two and three device pixels per
// CSS pixel (72 → 80, 144 → 160, 216 → 320; 160, 320, 480).
var photoWidths = []int{80, 160, 320, 480}

// resizable are the photo extensions lanmu resizes; a photo of another
// kind (SVG, AVIF) is published as it is.
var resizable = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true}

// Photo is a page's photo in templates: the original and its resized
// copies, to fill an img element's src, srcset and sizes.
type Photo struct {
	URL string // the original file, full size
	// Width and Height are the original's, as shown; 0 for a photo lanmu
	// does not resize.
	Width, Height int
	// Thumbs are the resized copies offered, narrowest first.
	Thumbs []Thumb

	key        string  // identifies the source for fingerprints
	candidates []Thumb // see Candidates
}

// Thumb is one resized copy of a photo.
type Thumb struct {
	URL           string
	Width, Height int
}

// Candidates are the files a browser may choose from, narrowest first: the
// thumbnails, and the original when it is no wider than the widest width
// lanmu makes (so its full detail is offered without serving a camera's
// 4000 pixels) or when it stands in for a copy that was no smaller.
func (ph *Photo) Candidates() []Thumb { return ph.candidates }

// Srcset is the srcset attribute's value ("/t/a-80w.jpg 80w, …"), or ""
// when there is nothing to choose between.
func (ph *Photo) Srcset() string {
	c := ph.Candidates()
	if len(c) < 2 {
		return ""
	}
	parts := make([]string, len(c))
	for i, t := range c {
		parts[i] = t.URL + " " + strconv.Itoa(t.Width) + "w"
	}
	return strings.Join(parts, ", ")
}

// Fit returns the URL of the narrowest candidate at least width pixels wide,
// else of the widest: the src for browsers that ignore srcset.
func (ph *Photo) Fit(width int) string {
	c := ph.Candidates()
	if len(c) == 0 {
		return ph.URL
	}
	for _, t := range c {
		if t.Width >= width {
			return t.URL
		}
	}
	return c[len(c)-1].URL
}

// Sizes is the sizes attribute's value for the photo drawn to cover a
// box×boxHeight box (CSS object-fit: cover). A photo wider in proportion
// than the box is drawn wider than the box, and the browser must know that
// to pick a sharp enough file.
func (ph *Photo) Sizes(box, boxHeight int) string {
	w := box
	if ph.Width > 0 && ph.Height > 0 && box > 0 && boxHeight > 0 {
		w = max(w, (boxHeight*ph.Width+ph.Height-1)/ph.Height)
	}
	return strconv.Itoa(w) + "px"
}

// Photo returns the page's photo (a teacher's), or nil when it has none.
func (p *Page) Photo() *Photo { return p.site.photos[p.Page] }

// photoJobs reads every teacher's photo, makes or reuses its thumbnails,
// and returns the jobs writing them beside the page. Problems are reported
// at the photo line of the teacher's front matter.
func (s *Site) photoJobs(problems *diag.List) []*job {
	if s.images == nil {
		dir := filepath.Join(s.Dir, filepath.FromSlash(ImageCacheDir))
		if err := insite.Within(s.Dir, dir); err != nil {
			problems.Addf(ImageCacheDir, 0, 0, "lanmu keeps resized photos here and will not write through it: %v", err)
			return nil
		}
		s.images = images.NewCache(dir)
	}
	var teachers []*content.Page
	for _, cp := range s.Content.Pages {
		if cp.Teacher != nil && cp.Teacher.Photo != "" {
			teachers = append(teachers, cp)
		}
	}
	taken := map[string]string{} // output path → source, of the content's own files
	for src, out := range s.Content.Files {
		taken[out] = src
	}
	photos := make([]*Photo, len(teachers))
	jobs := make([][]*job, len(teachers))
	parallel(len(teachers), func(i int) {
		photos[i], jobs[i] = s.photo(teachers[i], taken, problems)
	})
	s.photos = map[*content.Page]*Photo{}
	var out []*job
	for i, cp := range teachers {
		if photos[i] != nil {
			s.photos[cp] = photos[i]
			out = append(out, jobs[i]...)
		}
	}
	return out
}

// photo makes one teacher's photo and the jobs for its thumbnails.
func (s *Site) photo(cp *content.Page, taken map[string]string, problems *diag.List) (*Photo, []*job) {
	name := cp.Teacher.Photo
	line, col := cp.Position("photo")
	fail := func(format string, args ...any) (*Photo, []*job) {
		problems.Addf(cp.File, line, col, "photo %q: %s", name, fmt.Sprintf(format, args...))
		return nil, nil
	}
	dir := content.PathDir(cp.Path)
	ph := &Photo{URL: s.relURL(dir + name), key: name}
	if !resizable[strings.ToLower(path.Ext(name))] {
		ph.candidates = []Thumb{{URL: ph.URL}}
		return ph, nil
	}
	file := filepath.Join(s.Dir, filepath.FromSlash(path.Dir(cp.File)), filepath.FromSlash(name))
	data, err := os.ReadFile(file)
	if err != nil {
		return fail("cannot be read: %v", err)
	}
	src, err := images.Inspect(data)
	if err != nil {
		return fail("%v", err)
	}
	thumbs, err := s.images.Thumbnails(src, photoWidths)
	if err != nil {
		return fail("%v", err)
	}
	ph.Width, ph.Height, ph.key = src.Width, src.Height, src.Sum()
	offerOriginal := src.Width <= photoWidths[len(photoWidths)-1]
	var jobs []*job
	for _, t := range thumbs {
		// A copy no smaller than the original file is no saving: the
		// original is offered in its place.
		if len(t.Data) >= len(data) {
			offerOriginal = true
			continue
		}
		out := dir + images.Name(name, t)
		if other, ok := taken[out]; ok {
			return fail("its %dpx copy would be written over %s: rename that file", t.Width, other)
		}
		ph.Thumbs = append(ph.Thumbs, Thumb{URL: s.relURL(out), Width: t.Width, Height: t.Height})
		jobs = append(jobs, &job{path: out, make: generated(t.Data), source: cp.File})
	}
	ph.candidates = ph.Thumbs
	if offerOriginal {
		ph.candidates = append(ph.candidates[:len(ph.candidates):len(ph.candidates)], Thumb{URL: ph.URL, Width: ph.Width, Height: ph.Height})
	}
	return ph, jobs
}

// imageWarnings says when resized photos could not be kept for later
// builds: the build still succeeds, but every build resizes them again.
func (s *Site) imageWarnings() []*diag.Error {
	if s.images == nil {
		return nil
	}
	if err := s.images.WriteErr(); err != nil {
		return []*diag.Error{diag.Errorf(ImageCacheDir, 0, 0, "resized photos cannot be kept for the next build, so every build resizes them again: %v", err)}
	}
	return nil
}
