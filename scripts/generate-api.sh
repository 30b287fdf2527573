#!/usr/bin/env bash
# Regenerates the exchange API's server code from openapi/thads-v1.yaml (the contract) and records the yaml's
# SHA-256, which ExchangeSpecTests compares. The generator is built once outside the project (no build plugin: it
# would rebuild swift-syntax and OpenAPIKit in every CI run):
#   mkdir -p /tmp/oapigen && cd /tmp/oapigen  # a Package.swift that depends on swift-openapi-generator 1.14.3
#   swift build --product swift-openapi-generator
# then: GENERATOR=/tmp/oapigen/.build/debug/swift-openapi-generator bash scripts/generate-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GENERATOR=${GENERATOR:-/tmp/oapigen/.build/debug/swift-openapi-generator}
OUT=Sources/ThadsExchangeAPI
mkdir -p "$OUT"
cat > /tmp/thads-openapi-config.yaml <<'YAML'
generate:
  - types
  - server
accessModifier: public
namingStrategy: idiomatic
additionalFileComments:
  - swift-format-ignore-file
YAML
"$GENERATOR" generate openapi/thads-v1.yaml --config /tmp/thads-openapi-config.yaml --output-directory "$OUT"
cp openapi/thads-v1.yaml Sources/ThadsApp/Resources/openapi/thads-v1.yaml
sha256sum openapi/thads-v1.yaml | cut -d' ' -f1 > "$OUT/openapi.sha256"
echo "generated into $OUT (sha256 $(cat "$OUT/openapi.sha256"))"
