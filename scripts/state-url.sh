#!/usr/bin/env bash
# Prints the Pulumi backend URL for state kept in an S3-compatible object store: OpenStack Swift
# with its S3 API (s3api) or Ceph RGW. The one place that writes this URL form; scripts/pulumi.sh,
# the GitHub workflows and the state-backend suite all take it from here.
#
#   OKF_STATE_BUCKET=<bucket> OKF_STATE_ENDPOINT=<https://host:port> [OKF_STATE_REGION=<region>] \
#     scripts/state-url.sh [--env]
#
# --env prints `PULUMI_BACKEND_URL=<url>` (for $GITHUB_ENV) and nothing at all when OKF_STATE_BUCKET
# is empty (the workflows then use Pulumi Cloud). The credentials never enter the URL: they are
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Swift: `openstack ec2 credentials create`).
#
# Why each parameter: path-style addressing, because Swift and RGW serve a bucket under a path rather
# than a subdomain; the region, which must equal the store's S3 location (s3api `location`, RGW's
# zonegroup api_name) or SigV4 signatures are refused; checksums only where S3 requires them, because
# Swift's s3api predates the SDK's default CRC checksums.
set -euo pipefail
env_form=0
[ "${1:-}" = --env ] && env_form=1
bucket=${OKF_STATE_BUCKET:-}
if [ -z "$bucket" ]; then
  [ $env_form = 1 ] && exit 0
  echo "state-url: OKF_STATE_BUCKET is not set; set it to the state bucket's name (e.g. okf-state)" >&2
  exit 2
fi
endpoint=${OKF_STATE_ENDPOINT:-}
region=${OKF_STATE_REGION:-us-east-1}
if ! [[ "$bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]]; then
  echo "state-url: OKF_STATE_BUCKET='$bucket' is not an S3 bucket name; use 3-63 lower-case letters, digits, dots and hyphens" >&2
  exit 2
fi
endpoint_re='^https?://[^/?&#[:space:]]+(/[^?&#[:space:]]*)?$'
if ! [[ "$endpoint" =~ $endpoint_re ]]; then
  echo "state-url: OKF_STATE_ENDPOINT='$endpoint' is not an http(s) URL; set it to the object store's S3 endpoint, e.g. https://swift.example.com:8080" >&2
  exit 2
fi
if ! [[ "$region" =~ ^[A-Za-z0-9-]+$ ]]; then
  echo "state-url: OKF_STATE_REGION='$region' is not a region name; use the store's S3 location (default us-east-1)" >&2
  exit 2
fi
url="s3://$bucket?endpoint=$endpoint&use_path_style=true&region=$region&request_checksum_calculation=when_required&response_checksum_validation=when_required"
if [ $env_form = 1 ]; then echo "PULUMI_BACKEND_URL=$url"; else echo "$url"; fi
