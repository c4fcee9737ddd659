#!/bin/sh
# One-shot (minio/mc image): creates the buckets and the application's own S3 login, limited to
# those buckets, on the S3-compatible store. Idempotent: safe on every `compose up`.
# Secrets arrive as files; the app's key pair is read from the same AWS credentials file
# (profile [default]) that boto3 reads in the app containers through AWS_SHARED_CREDENTIALS_FILE.
set -eu

: "${MINIO_URL:?}" "${MINIO_ROOT_USER_FILE:?}" "${MINIO_ROOT_PASSWORD_FILE:?}"
: "${S3_CREDENTIALS_FILE:?}" "${BUCKETS:?}"

ini_value() {  # ini_value KEY FILE: the value of KEY in an AWS credentials file
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$2" | head -n 1 | tr -d '\r'
}

root_user="$(tr -d '\r\n' < "$MINIO_ROOT_USER_FILE")"
root_password="$(tr -d '\r\n' < "$MINIO_ROOT_PASSWORD_FILE")"
app_key="$(ini_value aws_access_key_id "$S3_CREDENTIALS_FILE")"
app_secret="$(ini_value aws_secret_access_key "$S3_CREDENTIALS_FILE")"
[ -n "$app_key" ] && [ -n "$app_secret" ] || { echo "minio-init: no key pair in $S3_CREDENTIALS_FILE" >&2; exit 1; }

# mc reads the alias from the environment, so the root password is never on a command line.
MC_HOST_store="$(echo "$MINIO_URL" | sed "s#://#://${root_user}:${root_password}@#")"
export MC_HOST_store

resources=""
for bucket in $BUCKETS; do
    mc mb --ignore-existing "store/$bucket"
    resources="${resources:+$resources,}\"arn:aws:s3:::$bucket\",\"arn:aws:s3:::$bucket/*\""
done
if [ -n "${PUBLIC_READ_BUCKET:-}" ]; then
    mc anonymous set download "store/$PUBLIC_READ_BUCKET"
fi

policy=/tmp/booking-app-policy.json
cat > "$policy" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": [$resources]}]}
JSON
mc admin policy create store booking-app "$policy"  # replaces an existing one
# The secret key is passed on mc's command line inside this short-lived container only.
mc admin user add store "$app_key" "$app_secret"
# On a second run the policy is already attached, which mc reports as an error: ignore only that.
mc admin policy attach store booking-app --user "$app_key" 2>/dev/null \
    || mc admin user info store "$app_key" | grep -q booking-app
echo "minio-init: buckets ready: $BUCKETS"
