#!/usr/bin/env bash
# Regenerates the built-in price table from a release of @pydantic/genai-prices (MIT).
#   scripts/update-prices.sh VERSION          e.g. scripts/update-prices.sh 0.1.9
# Needs npm, node and the network (the build never does): npm packs the release into a temporary
# directory, node dumps the provider and model data embedded in its dist/index.js as JSON, and
# `tokenwatch prices --update` converts that into
#   monitoring-domain/src/main/resources/dev/tokenwatch/domain/cost/prices.tsv
# with the release and its publication date in the header, and copies the package's licence beside
# it. Review the diff (git diff --stat, and a few models you know), run the tests, commit.
#
# The data is not exported by the package: the script exports the minified variable that holds it,
# E in 0.1.8. If a release renames it, set GENAI_PRICES_DATA_VAR to the new name (look for the
# array of providers, `[{id:"anthropic",...`, in package/dist/index.js). TOKENWATCH names the
# tokenwatch command to run (default: ./tokenwatch of this checkout, which builds the jar if missing).
set -euo pipefail
if [[ $# -ne 1 || "$1" == -* ]]; then
  echo "usage: $0 VERSION   (a release of @pydantic/genai-prices, e.g. 0.1.8)" >&2
  exit 2
fi
version="$1"
variable="${GENAI_PRICES_DATA_VAR:-E}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
resources="$root/monitoring-domain/src/main/resources/dev/tokenwatch/domain/cost"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
tarball="$(npm pack --silent "@pydantic/genai-prices@$version" | tail -n 1)"
tar xzf "$tarball"
cp package/dist/index.js mod.mjs
printf '\nexport { %s as __data };\n' "$variable" >> mod.mjs
node -e '
  const fs = require("fs");
  import("./mod.mjs").then(m => {
    const data = m.__data;
    if (!Array.isArray(data) || !data.every(p => p && typeof p.id === "string" && Array.isArray(p.models))) {
      console.error("the exported variable is not the array of providers; set GENAI_PRICES_DATA_VAR");
      process.exit(1);
    }
    fs.writeFileSync("data.json", JSON.stringify(data));
  });'
published="$(npm view "@pydantic/genai-prices@$version" time --json \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const t=JSON.parse(s)[process.argv[1]];
      if(!t){process.exit(1)} console.log(t.slice(0,10))})' "$version")"

${TOKENWATCH:-"$root/tokenwatch"} prices --update "$work/data.json" \
  --source "@pydantic/genai-prices $version (MIT, https://github.com/pydantic/genai-prices)" \
  --date "$published" --output "$resources/prices.tsv"
cp package/LICENSE "$resources/genai-prices-LICENSE"
echo "updated $resources/prices.tsv from @pydantic/genai-prices $version of $published" >&2
