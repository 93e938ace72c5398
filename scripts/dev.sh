#!/usr/bin/env bash
# Builds Harrier and runs `harrier dev` (server + local agent, API on 127.0.0.1:8080, state in ./.harrier).
# Any arguments are passed to `harrier dev` (see `harrier dev --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
dotnet build src/Harrier.Host -c Release -nologo -v quiet -clp:ErrorsOnly
exec src/Harrier.Host/bin/Release/net10.0/harrier dev "$@"
