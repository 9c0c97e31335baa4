package main

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lanmu/generator/config"
	"lanmu/generator/messages"
)

// chooseLang works out the language of lanmu's messages for a command line
// by the SPEC's rule (messages.Choose) before cobra reads it, so that the
// help it prints is already in that language. Only --lang and the site
// folder (-s, --source) are looked for; cobra reads the line properly.
func chooseLang(args []string, getenv func(string) string) (messages.Lang, error) {
	src := flagValue(args, "-s", "--source")
	if src == "" {
		src = "."
	}
	site := ""
	if cfg, err := config.Load(src); err == nil {
		site = cfg.Language
	}
	return messages.Choose(flagValue(args, "", "--lang"), getenv, site)
}

// flagValue returns the value a command line gives a flag, by its short
// and long names ("" for none), or "".
func flagValue(args []string, short, long string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		for _, name := range []string{short, long} {
			switch {
			case name == "":
			case a == name && i+1 < len(args):
				return args[i+1]
			case strings.HasPrefix(a, name+"="):
				return a[len(name)+1:]
			}
		}
	}
	return ""
}

// localize puts every help text of the command tree in the language: the
// commands' descriptions and examples, the flags, and the template around
// them.
func localize(root *cobra.Command, say *messages.Printer) {
	lang := say.Lang
	if lang == messages.English {
		return
	}
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Short = messages.Plain(lang, c.Short)
		c.Long = messages.Plain(lang, c.Long)
		c.Example = messages.Plain(lang, c.Example)
		c.InitDefaultHelpFlag()
		translate := func(f *pflag.Flag) {
			if f.Name == "help" {
				f.Usage = say.Sprintf("help for %s", c.Name())
				return
			}
			f.Usage = messages.Plain(lang, f.Usage)
		}
		c.LocalFlags().VisitAll(translate)
		c.PersistentFlags().VisitAll(translate)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	root.SetUsageTemplate(zhUsageTemplate)
}

// pflagDefault is how pflag adds a flag's default to its usage line.
var pflagDefault = regexp.MustCompile(` \(default ([^)]*)\)`)

func init() {
	// pflag writes "(default 1313)" after a flag's text, and cobra
	// "[flags]" in a command's use line, in English.
	cobra.AddTemplateFunc("zhDefaults", func(usages string) string {
		return pflagDefault.ReplaceAllString(usages, "（默认 $1）")
	})
	cobra.AddTemplateFunc("zhUse", func(line string) string {
		return strings.Replace(line, "[flags]", "[选项]", 1)
	})
}

// zhUsageTemplate is cobra's usage text in Chinese, for commands without
// groups (lanmu's have none).
var zhUsageTemplate = strings.TrimSpace(`
用法：{{if .Runnable}}
  {{.UseLine | zhUse}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{.LocalFlags.FlagUsages | zhDefaults | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

通用选项：
{{.InheritedFlags.FlagUsages | zhDefaults | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

运行 "{{.CommandPath}} [命令] --help" 查看某个命令的说明。{{end}}
`) + "\n"
