#!/bin/sh
# Rebuilds ../vendor/codemirror.js from entry.js and the CodeMirror
# packages `npm ci` installed, and ../vendor/LICENSES.txt from their
# licences. Run from the repository root after changing entry.js or
# package.json; bundle_test.go checks the two are up to date. OUT names
# another folder to write them to.
set -eu
here=generator/editor/ui
out=${OUT:-$here/vendor}
meta=$(mktemp)
node_modules/.bin/esbuild "$here/codemirror/entry.js" --bundle --minify --target=chrome86 \
  --format=iife --legal-comments=none --metafile="$meta" \
  --outfile="$out/codemirror.js" --log-level=warning
{
  echo "vendor/codemirror.js bundles these npm packages, each under the licence below."
  for pkg in $(node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const names = new Set();
    for (const k of Object.keys(m.inputs)) {
      const p = k.split("/");
      const i = p.lastIndexOf("node_modules");
      if (i < 0) continue;
      names.add(p[i + 1].startsWith("@") ? p[i + 1] + "/" + p[i + 2] : p[i + 1]);
    }
    console.log([...names].sort().join("\n"));' "$meta"); do
    version=$(node -p "require('./node_modules/$pkg/package.json').version")
    echo
    echo "== $pkg $version =="
    cat "node_modules/$pkg/LICENSE"* 2>/dev/null || node -p "'License: ' + require('./node_modules/$pkg/package.json').license"
  done
} > "$out/LICENSES.txt"
rm -f "$meta"
