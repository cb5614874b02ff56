#!/usr/bin/env bash
# The samples' partner CSV files opened in LibreOffice and saved as xlsx and ods, as a partner
# would: the columns typed as text (codes, phones and tax codes keep their leading zeros), the
# update dates as dates (DMY), times and ages left to LibreOffice. WorkbookTests reads them
# through the samples' profiles and expects the services the CSV files give.
#   apt-get install -y libreoffice-calc && bash Tests/Workbooks/libreoffice/make.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
samples=$here/../../../Samples
work=$(mktemp -d)
# "1/2/2/2/...": column N is text (2), standard (1) or a DMY date (4).
types() { local n=$1; shift; local spec="" i t o; for i in $(seq 1 "$n"); do t=2; for o in "$@"; do [ "${o%%=*}" = "$i" ] && t=${o##*=}; done; spec="$spec${spec:+/}$i/$t"; done; echo "$spec"; }
cp "$samples/portinerie-torino/servizi.csv" "$work/portinerie.csv"
cp "$samples/sicura-collegno/attivita.csv" "$work/sicura.csv"
cp "$samples/case-del-quartiere-torino/attivita.csv" "$work/case.csv"
cd "$work"
for kind in xlsx ods; do
  # Separator, quote, character set (1: Windows-1252, 76: UTF-8), first row, column types.
  soffice --headless --infilter="CSV:59,34,1,1,$(types 15 15=4)" --convert-to $kind portinerie.csv >/dev/null
  soffice --headless --infilter="CSV:59,34,1,1,$(types 16 16=4)" --convert-to $kind sicura.csv >/dev/null
  soffice --headless --infilter="CSV:44,34,76,1,$(types 14 7=1 8=1 14=1)" --convert-to $kind case.csv >/dev/null
done
cp ./*.xlsx ./*.ods "$here/"
