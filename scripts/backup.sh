#!/bin/sh
# Back up the PostgreSQL database of DATABASE_URL with pg_dump, in its compressed custom format,
# which scripts/restore.sh (pg_restore) reads. Prints the file written.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME scripts/backup.sh [DIRECTORY]
#   DATABASE_URL='host=HOST dbname=NAME user=USER' PGPASSWORD=… scripts/backup.sh [DIRECTORY]
#   docker compose run --rm backup          (the same, with the db container's pg_dump)
#
# The file is named gcm_tracker-<UTC time>.dump; it is written under a temporary name and only
# renamed once pg_restore has read its table of contents back, so a file with the final name is
# a complete archive. pg_dump takes a consistent snapshot while the site keeps running.
set -eu

: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://user:password@host:5432/name or 'host=HOST dbname=NAME user=USER' with PGPASSWORD}"
directory="${1:-.}"
mkdir -p "$directory"
file="$directory/gcm_tracker-$(date -u +%Y%m%dT%H%M%SZ).dump"

pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file.partial"
pg_restore --list "$file.partial" >/dev/null
mv "$file.partial" "$file"
echo "$file"
