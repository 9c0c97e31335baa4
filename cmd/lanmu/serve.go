package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"lanmu/generator/messages"
	"lanmu/generator/preview"
)

func newServe(stdout, stderr io.Writer, say *messages.Printer) *cobra.Command {
	opts := preview.Options{Stdout: stdout, Stderr: stderr, Say: say}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site, rebuilding it as you save",
		Long: `Serve builds the site into memory and serves it at http://127.0.0.1:1313 under
the base path of baseURL. It watches content/, layouts/, themes/, static/, i18n/ and
lanmu.toml; after you save, the open pages update by themselves (stylesheets without
a reload). A mistake shows over every page, with the lines around it, until you fix it.`,
		Example: `  lanmu serve
  lanmu serve --drafts
  lanmu serve --port 8080 --bind 0.0.0.0`,
		Args: noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			// An explicit --port must be that port; the default may move on
			// to the next free one.
			opts.NextPort = !cmd.Flags().Changed("port")
			return checkAsOf(opts.AsOf)
		},
		RunE: func(*cobra.Command, []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return preview.Run(ctx, opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", "", "the site folder (default: the current folder)")
	f.StringVar(&opts.Bind, "bind", "127.0.0.1", "the address to listen on")
	f.IntVar(&opts.Port, "port", 1313, "the port to listen on")
	f.BoolVar(&opts.Drafts, "drafts", false, "include pages marked draft")
	f.BoolVar(&opts.Future, "future", false, "include pages dated in the future")
	f.StringVar(&opts.AsOf, "as-of", "", "judge the standards at this day, like 2016-05-25")
	f.BoolVar(&opts.ForcePolling, "poll", false, "watch by polling (for file systems where change events do not arrive)")
	return cmd
}
