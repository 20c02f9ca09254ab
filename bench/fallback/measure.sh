#!/bin/bash
# The fallback measurement of docs/performance.md: 5 alternating runs of drguard and
# Cloud Custodian against a seeded moto at $MOTO, requests counted by moto's recorder.
# Run from an empty scratch directory; DRG = the drguard binary, REPO = this repository.
set -u
REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}; mkdir -p h
M=${MOTO:-http://127.0.0.1:5999}
DRG=${DRG:-$REPO/target/debug/drguard}
C=$REPO/.venv-bench/bin/custodian
envs="HOME=$PWD/h AWS_ENDPOINT_URL=$M AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true AWS_DEFAULT_REGION=us-east-1"
count() { python3 - "$1" <<'PY'
import json,sys,re
reqs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
seen=set(); rep=0
for r in reqs:
    auth=r['headers'].get('Authorization','')
    m=re.search(r'Credential=[^/]+/[^/]+/([^/]+)/',auth)
    key=(m.group(1) if m else '', r['method'], r['url'], r['headers'].get('X-Amz-Target',''), r['body'])
    if key in seen: rep+=1
    seen.add(key)
print(len(reqs), rep)
PY
}
for i in 1 2 3 4 5; do
  for tool in drguard custodian; do
    curl -s -X POST $M/moto-api/recorder/reset-recording >/dev/null; curl -s -X POST $M/moto-api/recorder/start-recording >/dev/null
    if [ $tool = drguard ]; then
      env $envs /usr/bin/time -f "%e %M" -o t.txt $DRG audit --config $REPO/tests/live/drguard.toml --format json --quiet > d.json; code=$?
    else
      rm -rf c7nout; env $envs /usr/bin/time -f "%e %M" -o t.txt $C run --dryrun -s c7nout --region us-east-1 --region us-west-2 --cache-period 0 $REPO/bench/custodian/policies.yml 2>c7n.err; code=$?
    fi
    curl -s -X POST $M/moto-api/recorder/stop-recording >/dev/null; curl -s $M/moto-api/recorder/download-recording > rec.txt
    echo "$tool run $i: wall_s rss_kib $(tail -1 t.txt) exit $code requests repeated $(count rec.txt) load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
