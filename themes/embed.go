// Package themes holds the themes built into the lanmu binary. A site picks
// one with `theme =` in lanmu.toml; a folder of the same name under the
// site's own themes/ takes its place, and the site's layouts/ overrides
// single templates of either.
package themes

import "embed"

// FS holds one folder per built-in theme, each with layouts/, static/ and
// i18n/.
//
//go:embed all:default all:ink
var FS embed.FS
