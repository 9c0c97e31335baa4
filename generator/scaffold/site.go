package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"lanmu/generator/config"
	"lanmu/generator/messages"
)

// The starter column. "all:" keeps the sections' _index.md files, which an
// embed pattern would otherwise leave out for starting with "_".
//
//go:embed all:site
var starter embed.FS

// starterDates are the dates the starter column's pages are written with,
// so that a new column shows this year's work: its pages are dated today
// and the sample standard's tasks run to the end of the year.
type starterDates struct {
	Today      string // 2016-06-16
	MonthStart string // 2016-06-01
	YearEnd    string // 2016-12-31
}

// NewSite writes the starter column into dir, creating it. It refuses a dir
// that already holds anything, so that no one's work is overwritten.
func NewSite(dir string, now time.Time) error {
	info, err := os.Stat(dir)
	switch {
	case err == nil && !info.IsDir():
		return messages.Errorf("%s exists and is not a folder: lanmu new site needs a new or empty folder", dir)
	case err == nil:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			return messages.Errorf("%s is not empty: lanmu new site writes a column only into a new or empty folder", dir)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	created := err != nil
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeStarter(dir, now); err != nil {
		if created {
			os.RemoveAll(dir)
		}
		return err
	}
	return nil
}

func writeStarter(dir string, now time.Time) error {
	toml, err := starter.ReadFile("site/" + config.FileName)
	if err != nil {
		return err
	}
	// The starter's own configuration says which zone its dates are in.
	cfg, err := config.Parse(toml)
	if err != nil {
		return fmt.Errorf("the starter %s is broken: %w", config.FileName, err)
	}
	local := now.In(cfg.Location)
	dates := starterDates{
		Today:      local.Format(time.DateOnly),
		MonthStart: time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, cfg.Location).Format(time.DateOnly),
		YearEnd:    fmt.Sprintf("%d-12-31", local.Year()),
	}
	err = fs.WalkDir(starter, "site", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "site" {
			return err
		}
		rel := name[len("site/"):]
		target := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.Mkdir(target, 0o755)
		}
		text, err := starter.ReadFile(name)
		if err != nil {
			return err
		}
		if path.Ext(name) == ".md" {
			if text, err = execute(name, text, dates); err != nil {
				return err
			}
		}
		return os.WriteFile(target, text, 0o644)
	})
	if err != nil {
		return err
	}
	return os.Mkdir(filepath.Join(dir, "static"), 0o755)
}
