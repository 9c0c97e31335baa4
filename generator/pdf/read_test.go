package pdf

import (
	"fmt"
	"reflect"
	"testing"
)

func TestRead(t *testing.T) {
	info, err := Read(bookWithOutline(t, 6))
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages != 6 || len(info.Sizes) != 6 {
		t.Fatalf("%d pages, %d sizes, want 6", info.Pages, len(info.Sizes))
	}
	for i, s := range info.Sizes {
		if s != (Size{297.64, 419.53}) {
			t.Errorf("page %d is %v, want A6 297.64 × 419.53", i+1, s)
		}
	}
	if !reflect.DeepEqual(info.Bookmarks, bookOutline) {
		t.Errorf("bookmarks:\n got %v\nwant %v", info.Bookmarks, bookOutline)
	}
}

func TestReadNoOutline(t *testing.T) {
	info, err := Read(makeBook(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages != 2 || len(info.Bookmarks) != 0 {
		t.Errorf("got %+v, want 2 pages and no bookmarks", info)
	}
}

// TestReadBoxesAndOutline reads a hand-made PDF with the page boxes,
// rotations, title encodings and kinds of destination the PDF format
// allows, beyond the few Chromium uses.
func TestReadBoxesAndOutline(t *testing.T) {
	doc := testDoc{
		media: rect(0, 0, a6W, a6H), // inherited by pages 1–3
		pages: []testPage{
			{},
			{crop: rect(10, 20, 110, 220)},
			{rotate: 90},
			// A crop box larger than the media box is clipped to it.
			{media: rect(0, 0, 595.2756, 841.8898), crop: rect(-10, -10, 700, 900), rotate: -270},
		},
		outline: func(b *pdfBuilder, p []int) string {
			dests := b.add(fmt.Sprintf("<< /chap2 [%s /Fit] >>", ref(p[1])))
			names := b.add(fmt.Sprintf("<< /Dests << /Names [(sec3) [%s /XYZ 0 0 0]] >> >>", ref(p[2])))
			outlines := b.reserve()
			i1, i2, i2a, i2b, i3 := b.reserve(), b.reserve(), b.reserve(), b.reserve(), b.reserve()
			// PDFDocEncoding: é is 0351, ﬁ 0223 and — 0204.
			b.set(i1, fmt.Sprintf(`<< /Title (Caf\351 \223nal \204 \(1\)) /Parent %s /Next %s /Dest [%s /XYZ 0 400 0] >>`,
				ref(outlines), ref(i2), ref(p[0])))
			// UTF-16BE with a surrogate pair (📖 U+1F4D6) and U+E000.
			b.set(i2, fmt.Sprintf(`<< /Title <FEFF4E2D6587D83DDCD6E000> /Parent %s /Prev %s /Next %s /First %s /Last %s /Count 2 /Dest /chap2 >>`,
				ref(outlines), ref(i1), ref(i3), ref(i2a), ref(i2b)))
			// UTF-8 with its PDF 2.0 byte order mark; a name-tree destination.
			b.set(i2a, fmt.Sprintf(`<< /Title <EFBBBFE5ADA6E4B9A0> /Parent %s /Next %s /Dest (sec3) >>`,
				ref(i2), ref(i2b)))
			// UTF-16BE in a literal, with octal escapes; a GoTo action.
			b.set(i2b, fmt.Sprintf(`<< /Title (\376\377\116\055) /Parent %s /Prev %s /A << /S /GoTo /D [%s /Fit] >> >>`,
				ref(i2), ref(i2a), ref(p[3])))
			// A web link leads to no page of the document.
			b.set(i3, fmt.Sprintf(`<< /Title (Link) /Parent %s /Prev %s /A << /S /URI /URI (https://example.org/) >> >>`,
				ref(outlines), ref(i2)))
			b.set(outlines, fmt.Sprintf("<< /Type /Outlines /First %s /Last %s /Count 5 >>", ref(i1), ref(i3)))
			return fmt.Sprintf("/Outlines %s /Dests %s /Names %s", ref(outlines), ref(dests), ref(names))
		},
	}
	info, err := Read(doc.bytes(t))
	if err != nil {
		t.Fatal(err)
	}
	wantSizes := []Size{
		{297.64, 419.53},
		{100, 200},
		{419.53, 297.64},
		{841.89, 595.28},
	}
	if info.Pages != 4 || !reflect.DeepEqual(info.Sizes, wantSizes) {
		t.Errorf("%d pages of %v, want 4 of %v", info.Pages, info.Sizes, wantSizes)
	}
	want := []Bookmark{
		{"Café ﬁnal — (1)", 1, 1},
		{"中文📖\ue000", 2, 1},
		{"学习", 3, 2},
		{"中", 4, 2},
		{"Link", 0, 1},
	}
	if !reflect.DeepEqual(info.Bookmarks, want) {
		t.Errorf("bookmarks:\n got %+v\nwant %+v", info.Bookmarks, want)
	}
}

func TestReadError(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("not a PDF")} {
		if _, err := Read(in); err == nil {
			t.Errorf("Read(%q) succeeded", in)
		}
	}
}

func TestDecodeText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"plain ASCII", "plain ASCII"},
		{"\xfe\xff\x7b\x2c\x4e\x00\x7a\xe0", "第一章"},
		{"\xfe\xff\xd8\x3d\xdc\xd6", "📖"},
		{"\xfe\xff\xd8\x3d", "\ufffd"}, // unpaired surrogate
		{"\xfe\xff\x00\x41\x00", "A"},  // odd byte dropped
		{"\xef\xbb\xbf\xe4\xb8\xad", "中"},
		// PDFDocEncoding, even where the bytes would be valid UTF-8:
		// C3 A9 is "Ã©" here, not "é".
		{"\xc3\xa9", "Ã©"},
		{"\x18\x19\x80\x8d\x8e\x93\x9f\xa0\xad\xe9", "˘ˇ•“”ﬁ\ufffd€\ufffdé"},
		{"a\tb\nc\x01", "a\tb\nc\ufffd"},
	} {
		if got := decodeText([]byte(tc.in)); got != tc.want {
			t.Errorf("decodeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSetPageSizeIsExact(t *testing.T) {
	d := testDoc{media: rect(0, 0, 298.08, 420)}
	for range 3 {
		d.pages = append(d.pages, testPage{labels: true})
	}
	in := d.bytes(t)
	out, err := SetPageSize(in, 297.64, 419.53)
	if err != nil {
		t.Fatal(err)
	}
	info, err := Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages != 3 {
		t.Fatalf("%d pages after resizing", info.Pages)
	}
	for i, s := range info.Sizes {
		if s != (Size{297.64, 419.53}) {
			t.Errorf("page %d is %v", i+1, s)
		}
	}
}
