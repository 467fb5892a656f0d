#!/usr/bin/env bash
# The scripted way the engine benchmark compares with: what operators write with Keycloak's kcadm.sh
# and the openstack CLI, idempotent by checking each object before creating it.
#   test/bench/scripted.sh apply PLAN      every object of PLAN (test/bench/engine-plan.ts)
#   test/bench/scripted.sh teardown PLAN   all of it gone
# Environment: KCADM (kcadm.sh), KC_SERVER, KC_PASSWORD (master realm's admin), KCADM_CONFIG;
# OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and the rest of the openstack CLI's usual variables.
set -euo pipefail
cmd=${1:?usage: $0 apply|teardown PLAN}
plan=${2:?PLAN}
kc() { "$KCADM" "$@" --config "$KCADM_CONFIG"; }
os() { openstack "$@"; }
kc config credentials --server "$KC_SERVER" --realm master --user admin --password "$KC_PASSWORD" >/dev/null

realm=$(awk -F'\t' '$1 == "kc-realm" { print $2 }' "$plan")
declare -A client_ids=()
client_id() { # clientId -> internal id (looked up once)
  if [ -z "${client_ids[$1]:-}" ]; then
    client_ids[$1]=$(kc get clients -r "$realm" -q "clientId=$1" --fields id --format csv --noquotes)
  fi
  echo "${client_ids[$1]}"
}
mapper_kind() {
  case "$1" in
    sub) echo oidc-sub-mapper ;;
    userProperty) echo oidc-usermodel-property-mapper ;;
    accessRoles) echo oidc-usermodel-client-role-mapper ;;
    audience) echo oidc-audience-mapper ;;
    sessionNote) echo oidc-usersessionmodel-note-mapper ;;
    *) echo "scripted: unknown mapper kind $1" >&2; exit 2 ;;
  esac
}

apply_line() {
  local kind=$1; shift
  case "$kind" in
    kc-realm)
      kc get "realms/$1" >/dev/null 2>&1 || kc create realms -s "realm=$1" -s enabled=true ;;
    kc-client)
      [ -n "$(client_id "$1")" ] || {
        local uris="" u
        local -a list
        IFS=, read -r -a list <<<"$2"
        for u in "${list[@]}"; do uris+="\"$u\","; done
        kc create clients -r "$realm" -s "clientId=$1" -s publicClient=false -s standardFlowEnabled=true \
          -s implicitFlowEnabled=false -s "redirectUris=[${uris%,}]" -s 'attributes."pkce.code.challenge.method"=S256' >/dev/null
        client_ids[$1]=""
      } ;;
    kc-public-client)
      [ -n "$(client_id "$1")" ] || {
        kc create clients -r "$realm" -s "clientId=$1" -s publicClient=true -s standardFlowEnabled=false \
          -s 'attributes."oauth2.device.authorization.grant.enabled"=true' >/dev/null
        client_ids[$1]=""
      } ;;
    kc-mapper)
      local id; id=$(client_id "$1")
      kc get "clients/$id/protocol-mappers/models" -r "$realm" --fields name --format csv --noquotes | grep -qx "$2" ||
        kc create "clients/$id/protocol-mappers/models" -r "$realm" -s "name=$2" -s protocol=openid-connect \
          -s "protocolMapper=$(mapper_kind "$3")" -s 'config."access.token.claim"=true' >/dev/null ;;
    kc-group)
      kc get "group-by-path${1}" -r "$realm" >/dev/null 2>&1 || {
        local parent=${1%/*} name=${1##*/}
        if [ -z "$parent" ]; then
          kc create groups -r "$realm" -s "name=$name" >/dev/null
        else
          local pid; pid=$(kc get "group-by-path${parent}" -r "$realm" --fields id --format csv --noquotes)
          kc create "groups/$pid/children" -r "$realm" -s "name=$name" >/dev/null
        fi
      } ;;
    kc-role)
      local id; id=$(client_id "$1")
      kc get "clients/$id/roles/$2" -r "$realm" >/dev/null 2>&1 || kc create "clients/$id/roles" -r "$realm" -s "name=$2" >/dev/null 2>&1 ;;
    kc-group-role)
      local gid; gid=$(kc get "group-by-path${1}" -r "$realm" --fields id --format csv --noquotes)
      kc add-roles -r "$realm" --gid "$gid" --cclientid "$2" --rolename "$3" ;;
    os-domain)
      os domain show "$1" -f value -c id >/dev/null 2>&1 || os domain create "$1" >/dev/null ;;
    os-project)
      os project show --domain "$1" "$2" -f value -c id >/dev/null 2>&1 || os project create --domain "$1" "$2" >/dev/null ;;
    os-group)
      os group show --domain "$1" "$2" -f value -c id >/dev/null 2>&1 || os group create --domain "$1" "$2" >/dev/null ;;
    os-grant)
      if [ -n "$5" ]; then
        os role add --group "$2" --group-domain "$1" --project "$5" --project-domain "$4" "$3"
      else
        os role add --group "$2" --group-domain "$1" --domain "$4" "$3"
      fi ;;
    os-idp)
      os identity provider show "$1" -f value -c id >/dev/null 2>&1 ||
        os identity provider create --remote-id "$3" --domain "$2" "$1" >/dev/null ;;
    os-mapping)
      os mapping show "$1" -f value -c id >/dev/null 2>&1 || os mapping create --rules "$2" "$1" >/dev/null ;;
    os-protocol)
      os federation protocol show --identity-provider "$1" "$2" -f value -c id >/dev/null 2>&1 ||
        os federation protocol create --identity-provider "$1" --mapping "$3" "$2" >/dev/null ;;
    *) echo "scripted: unknown line kind $kind" >&2; exit 2 ;;
  esac
}

case "$cmd" in
  apply)
    while IFS=$'\t' read -r -a f; do apply_line "${f[@]}"; done <"$plan" ;;
  teardown)
    # Keycloak: the realm and all in it. Keystone: federation first, then contents, then domains.
    kc delete "realms/$realm" >/dev/null 2>&1 || true
    while IFS=$'\t' read -r -a f; do
      case "${f[0]}" in
        os-protocol) os federation protocol delete --identity-provider "${f[1]}" "${f[2]}" || true ;;
        os-idp) os identity provider delete "${f[1]}" || true ;;
        os-mapping) os mapping delete "${f[1]}" || true ;;
      esac
    done < <(tac "$plan")
    while IFS=$'\t' read -r -a f; do
      case "${f[0]}" in
        os-project) os project delete --domain "${f[1]}" "${f[2]}" || true ;;
        os-group) os group delete --domain "${f[1]}" "${f[2]}" || true ;;
      esac
    done <"$plan"
    while IFS=$'\t' read -r -a f; do
      [ "${f[0]}" = os-domain ] || continue
      os domain set --disable "${f[1]}" || true
      os domain delete "${f[1]}" || true
    done <"$plan" ;;
  *) echo "usage: $0 apply|teardown PLAN" >&2; exit 2 ;;
esac
