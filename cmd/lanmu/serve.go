package main

import (
	"context"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
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
a reload). A mistake shows over every page, with the lines around it, until you fix it.

With --edit it also serves an editing interface, at the address it prints: the pages
by kind, and each file to edit and save in the browser (drafts are shown). The address
holds a key for this session only. On an address other machines can reach (--bind),
--edit needs --edit-password as well.`,
		Example: `  lanmu serve
  lanmu serve --drafts
  lanmu serve --port 8080 --bind 0.0.0.0
  lanmu serve --edit`,
		Args: noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			// An explicit --port must be that port; the default may move on
			// to the next free one.
			opts.NextPort = !cmd.Flags().Changed("port")
			if opts.EditPassword != "" {
				opts.Edit = true
			}
			if opts.Edit && opts.EditPassword == "" && !isLoopback(opts.Bind) {
				return messages.Errorf("--edit with --bind %s, an address other machines can reach, needs --edit-password too", opts.Bind)
			}
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
	f.BoolVar(&opts.Edit, "edit", false, "also serve an interface to edit the pages in the browser")
	f.StringVar(&opts.EditPassword, "edit-password", "", "the password the editing interface asks for (needed with --edit on an address beyond this machine)")
	return cmd
}

// isLoopback reports whether an address to listen on is reachable from
// this machine alone.
func isLoopback(bind string) bool {
	host := strings.Trim(bind, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
