#!/usr/bin/env bash
# Re-does the vendoring of the PWA's browser libraries from the npm registry,
# with pinned versions, so the result is reproducible. No build step at run time:
# the files are plain ES modules whose bare imports are rewritten to relative paths
# (an import map would need an inline script, which the CSP forbids).
set -euo pipefail

PREACT=10.29.8
HTM=3.1.1
SIGNALS=2.11.4
SIGNALS_CORE=1.14.5
IDB=8.0.4

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

for spec in "preact@$PREACT" "htm@$HTM" "@preact/signals@$SIGNALS" "@preact/signals-core@$SIGNALS_CORE" "idb@$IDB"; do
  npm pack --silent "$spec" >/dev/null
done
for tgz in *.tgz; do
  name="${tgz%.tgz}"
  mkdir -p "$name" && tar -xzf "$tgz" -C "$name" --strip-components=1
done

p="preact-$PREACT"; h="htm-$HTM"; s="preact-signals-$SIGNALS"; c="preact-signals-core-$SIGNALS_CORE"; i="idb-$IDB"

cp "$p/dist/preact.module.js" "$here/preact.module.js"
cp "$p/hooks/dist/hooks.module.js" "$here/hooks.module.js"
cp "$h/dist/htm.module.js" "$here/htm.module.js"
cp "$c/dist/signals-core.module.js" "$here/signals-core.module.js"
cp "$s/dist/signals.module.js" "$here/signals.module.js"
cp "$i/build/index.js" "$here/idb.js"

cp "$p/LICENSE" "$here/LICENSE.preact"
cp "$h/LICENSE" "$here/LICENSE.htm"
cp "$s/LICENSE" "$here/LICENSE.preact-signals"
cp "$c/LICENSE" "$here/LICENSE.preact-signals-core"
cp "$i/LICENSE" "$here/LICENSE.idb"

cd "$here"
# Rewrite bare specifiers to sibling files; drop source-map comments (maps are not vendored).
sed -i -E \
  -e 's#from ?"preact/hooks"#from "./hooks.module.js"#g' \
  -e 's#from ?"preact"#from "./preact.module.js"#g' \
  -e 's#from ?"@preact/signals-core"#from "./signals-core.module.js"#g' \
  -e "s#from ?'preact/hooks'#from './hooks.module.js'#g" \
  -e "s#from ?'preact'#from './preact.module.js'#g" \
  -e "s#from ?'@preact/signals-core'#from './signals-core.module.js'#g" \
  -e '/^\/\/# sourceMappingURL=/d' \
  -e 's#//\# sourceMappingURL=[^ ]*$##' \
  preact.module.js hooks.module.js htm.module.js signals-core.module.js signals.module.js idb.js

# Fail loudly if a bare specifier is left over.
if grep -nE "(from|import) ?[\"'][^./][^\"']*[\"']" preact.module.js hooks.module.js htm.module.js signals-core.module.js signals.module.js idb.js; then
  echo "update.sh: bare import left in a vendored file" >&2
  exit 1
fi

cat > VERSIONS.md <<MD
# Vendored browser libraries

Made by \`update.sh\` (run it to update; change the pinned versions at its top).
Bare imports are rewritten to relative paths; nothing else is changed.

| package | version | licence | files |
|---|---|---|---|
| preact | $PREACT | MIT (LICENSE.preact) | preact.module.js, hooks.module.js |
| htm | $HTM | Apache-2.0 (LICENSE.htm) | htm.module.js |
| @preact/signals | $SIGNALS | MIT (LICENSE.preact-signals) | signals.module.js |
| @preact/signals-core | $SIGNALS_CORE | MIT (LICENSE.preact-signals-core) | signals-core.module.js |
| idb | $IDB | ISC (LICENSE.idb) | idb.js |
MD
echo "vendored into $here"
