package pdf

import (
	"bytes"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// SetPageSize gives every page a MediaBox of exactly width × height points
// and drops the other boxes. Chromium rounds the paper size it is asked for
// (an A6 page comes out 298.08 × 420 pt instead of 297.64 × 419.53), and a
// printer feeds the paper the PDF names, so the boxes are set right after
// printing. The difference lies inside the page margins: nothing printed
// is cut off.
func SetPageSize(in []byte, width, height float64) ([]byte, error) {
	ctx, err := api.ReadContext(bytes.NewReader(in), newConfig(model.VALIDATE))
	if err != nil {
		return nil, fmt.Errorf("pdf: reading: %w", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("pdf: counting pages: %w", err)
	}
	for i := 1; i <= ctx.PageCount; i++ {
		d, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			return nil, fmt.Errorf("pdf: page %d: %w", i, err)
		}
		d.Update("MediaBox", types.NewNumberArray(0, 0, width, height))
		for _, box := range []string{"CropBox", "BleedBox", "TrimBox", "ArtBox"} {
			d.Delete(box)
		}
	}
	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		return nil, fmt.Errorf("pdf: writing: %w", err)
	}
	return out.Bytes(), nil
}
