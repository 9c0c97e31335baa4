package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lanmu/generator/messages"
	"lanmu/generator/scaffold"
)

func newNew(stdout io.Writer, say *messages.Printer) *cobra.Command {
	var src string
	kinds := strings.Join(scaffold.Kinds, " | ")
	cmd := &cobra.Command{
		Use:   "new (site DIR | KIND TITLE)",
		Short: "Start a new column, or a new page of one kind",
		Long: `new site DIR writes a starter column into DIR (a new or empty folder): its
configuration, one page of every kind and a standard with tasks. It builds as it is.

new KIND TITLE, in a column's folder, writes a draft page of that kind to
content/SECTION/SLUG.md, with the front matter filled in: the title, the date
and time now in the column's time zone, and draft: true. The file name comes
from the title. An existing file is never overwritten.

KIND is one of ` + kinds + `.

A column replaces the built-in page templates with its own archetypes/KIND.md,
or all of them with archetypes/default.md. They are Go templates that see
.Title, .Kind, .Section, .Slug, .Date, .Today, .Year, .Number (the next free
standard number), .Teachers and .Decks.`,
		Example: `  lanmu new site xxjy
  lanmu new reading 学习党章的体会
  lanmu new class "纪念建党95周年　坚定理想信念"
  lanmu new teacher 李红梅 -s xxjy`,
		// Completion offers what may come first; a title or folder is the
		// user's own, so nothing is offered after it.
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return append([]string{"site"}, scaffold.Kinds...), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{messages.Errorf("new needs to know what to make: site DIR, or one of %s and a title", kinds)}
			}
			now := time.Now()
			if args[0] == "site" {
				if len(args) != 2 {
					return usageError{messages.Errorf("new site takes one folder: lanmu new site DIR")}
				}
				if cmd.Flags().Changed("source") {
					return usageError{messages.Errorf("-s is for new KIND TITLE; new site takes the folder to create as its argument")}
				}
				if err := scaffold.NewSite(args[1], now); err != nil {
					return err
				}
				printNextSteps(stdout, say, args[1])
				return nil
			}
			kind := args[0]
			if !slices.Contains(scaffold.Kinds, kind) {
				return usageError{messages.Errorf("there is no kind %q: choose site or one of %s", kind, kinds)}
			}
			title := strings.TrimSpace(strings.Join(args[1:], " "))
			if title == "" {
				return usageError{messages.Errorf("new %s needs a title: lanmu new %s 标题", kind, kind)}
			}
			written, err := scaffold.NewPage(src, kind, title, now)
			var argErr *scaffold.ArgError
			if errors.As(err, &argErr) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, say.Sprintf("wrote %s", written))
			if isDraft(written) {
				fmt.Fprintln(stdout, say.Sprintf("It is a draft: lanmu serve --drafts shows it; delete the line draft: true to publish it."))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&src, "source", "s", "", "the site folder, for new KIND TITLE (default: the current folder)")
	return cmd
}

// draftLine finds the draft flag of YAML or TOML front matter.
var draftLine = regexp.MustCompile(`(?m)^draft\s*[:=]\s*true\b`)

// isDraft reports whether the page just written is a draft, so that an
// editor whose archetype makes published pages is not told otherwise.
func isDraft(file string) bool {
	data, err := os.ReadFile(file)
	return err == nil && draftLine.Match(data)
}

func printNextSteps(w io.Writer, say *messages.Printer, dir string) {
	shown := dir
	if strings.ContainsAny(dir, " \t'\"$&;|<>()*?\\") {
		shown = strconv.Quote(dir)
	}
	fmt.Fprint(w, say.Sprintf(`Created a new column in %s.

Next steps:
  cd %s
  Edit lanmu.toml: the column's title, unit and baseURL.
  lanmu serve              preview it in the browser while you edit
  lanmu new reading 标题    start a reading (or class, teacher, card, standard, news)
  lanmu build              write the site to public/
`, dir, shown))
}
