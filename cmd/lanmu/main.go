// Command lanmu builds learning and publicity columns: it turns a folder of
// Markdown into a themed static site. This file only reads the command line;
// the work is done by the packages under generator/.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"lanmu/generator/diag"
	"lanmu/generator/messages"
)

// Exit statuses, as the SPEC promises them.
const (
	exitOK    = 0
	exitSite  = 1 // the site has errors
	exitUsage = 2 // the command line is wrong
)

// usageError marks errors in the command line itself.
type usageError struct{ error }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	lang, err := chooseLang(args, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "lanmu: %v\nRun 'lanmu --help' for usage.\n", err)
		return exitUsage
	}
	say := messages.For(lang)
	root := newRoot(stdout, stderr, say)
	localize(root, say)
	root.SetArgs(args)
	err = root.Execute()
	if err == nil {
		return exitOK
	}
	var ue usageError
	var gate gateError
	if errors.As(err, &gate) {
		fmt.Fprintf(stderr, "lanmu: %v\n", gate)
		return gate.status
	}
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "lanmu: %s\n%s\n", say.Error(ue.error), say.Sprintf("Run 'lanmu --help' for usage."))
		return exitUsage
	}
	problems := diag.Of(err)
	colour := colours(stderr)
	errs := 0
	for _, p := range problems {
		printProblem(stderr, say, p, p.Warning, colour)
		if !p.Warning {
			errs++
		}
	}
	if warnings := len(problems) - errs; warnings > 0 || errs > 1 {
		fmt.Fprintln(stderr, closingLine(say, errs, warnings))
	}
	return exitSite
}

// closingLine counts the errors and warnings of a failed build. Chinese
// has one form for any number; English counts "1 error", "2 errors".
func closingLine(say *messages.Printer, errs, warnings int) string {
	if say.Lang == messages.Chinese {
		if warnings == 0 {
			return say.Sprintf("lanmu: %d errors; nothing was written", errs)
		}
		return say.Sprintf("lanmu: %d errors and %d warnings; nothing was written", errs, warnings)
	}
	if warnings == 0 {
		return fmt.Sprintf("lanmu: %d errors; nothing was written", errs)
	}
	return fmt.Sprintf("lanmu: %s and %s; nothing was written", plural(errs, "error"), plural(warnings, "warning"))
}

// plural counts n of a thing: "1 error", "2 errors".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// newRoot makes the command tree; say speaks the user's language.
func newRoot(stdout, stderr io.Writer, say *messages.Printer) *cobra.Command {
	root := &cobra.Command{
		Use:   "lanmu",
		Short: "lanmu builds learning and publicity columns into static sites",
		Long: `lanmu (栏目) turns a folder of Markdown — required readings, party-class
outlines, a teacher bank, knowledge cards, news and the standards a unit
must meet — into a themed static site.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{messages.Errorf("unknown command %q", args[0])}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	// Read before cobra runs (see chooseLang); declared so that cobra
	// accepts it and lists it.
	root.PersistentFlags().String("lang", "", "the language of lanmu's messages: zh or en (default: "+messages.EnvName+", the site's language, the locale)")
	root.AddCommand(newBuild(stdout, stderr, say), newServe(stdout, stderr, say), newStatus(stdout, say), newInspect(stdout, say), newPrint(stdout, stderr, say), newCheck(stdout, stderr, say), newNew(stdout, say), newVersion(stdout))
	return root
}

func newBuild(stdout, stderr io.Writer, say *messages.Printer) *cobra.Command {
	b := buildFlags{say: say}
	var withPDF bool
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site into public/",
		Example: `  lanmu build
  lanmu build -s mysite -d /var/www/xxjy --baseURL https://www.example.gov.cn/xxjy/
  lanmu build --drafts`,
		Args:    noArgs,
		PreRunE: func(*cobra.Command, []string) error { return b.check() },
		RunE: func(*cobra.Command, []string) error {
			return b.run(withPDF, stdout, stderr)
		},
	}
	b.add(cmd.Flags())
	f := cmd.Flags()
	f.BoolVar(&withPDF, "pdf", false, "also print the pocket book and card sheets to PDF (needs Chromium)")
	f.StringVar(&b.chrome, "chrome", "", "the Chromium to print with, for --pdf (default: chromium on PATH)")
	return cmd
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of lanmu",
		Example: "  lanmu version      # lanmu v1.2.0, or (devel) and the commit for a build from a clone",
		Args:    noArgs,
		Run: func(*cobra.Command, []string) {
			fmt.Fprintln(stdout, "lanmu", version())
		},
	}
}

// version reports the module version and VCS revision the binary was built
// from, as far as the Go toolchain recorded them.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{messages.Errorf("%s takes no arguments, got %q", cmd.Name(), args)}
	}
	return nil
}
