package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/spf13/cobra"

	"lanmu/generator/build"
	"lanmu/generator/output"
	"lanmu/generator/printer"
)

func newPrint(stdout, stderr io.Writer) *cobra.Command {
	var opts build.Options
	var chrome string
	cmd := &cobra.Command{
		Use:   "print",
		Short: "Print the pocket book and the card sheets to PDF",
		Long: `Print builds the site and prints, with headless Chromium, the pocket book of the
required readings (pocketbook.pdf, with page numbers in its contents), the same book
imposed two pages a side for saddle stitching (pocketbook-booklet.pdf), and the
double-sided knowledge-card sheets (cards.pdf), into DEST/print/.`,
		Example: `  lanmu print
  lanmu print --chrome /usr/bin/chromium -d /tmp/out`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if _, err := printer.FindChrome(chrome); err != nil {
				return err
			}
			site, err := build.Load(opts)
			if err != nil {
				return err
			}
			mem := output.NewMemory()
			if _, err := site.Render(mem); err != nil {
				return err
			}
			files := mem.Files()
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			pdfs, err := printer.Print(ctx, site, func(p string) ([]byte, bool) { d, ok := files[p]; return d, ok }, printer.Options{Chrome: chrome, Progress: stderr})
			if err != nil {
				return err
			}
			dest := opts.Dest
			if dest == "" {
				dest = filepath.Join(sourceDir(opts.Source), "public")
			}
			return writePDFs(stdout, dest, pdfs)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", "", "the site folder (default: the current folder)")
	f.StringVarP(&opts.Dest, "destination", "d", "", "the output folder (default: SRC/public)")
	f.StringVar(&chrome, "chrome", "", "the Chromium to print with (default: chromium on PATH)")
	return cmd
}

func sourceDir(s string) string {
	if s == "" {
		return "."
	}
	return s
}

// writePDFs writes each PDF through a temporary file, so a reader never
// sees half a PDF.
func writePDFs(stdout io.Writer, dest string, pdfs map[string][]byte) error {
	paths := make([]string, 0, len(pdfs))
	for p := range pdfs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(dest, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		tmp := full + ".tmp"
		if err := os.WriteFile(tmp, pdfs[p], 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", full, err)
		}
		if err := os.Rename(tmp, full); err != nil {
			os.Remove(tmp)
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%d KB)\n", full, (len(pdfs[p])+1023)/1024)
	}
	return nil
}
