#!/bin/sh
# A kecamatan campaign on the demo regency (scale 0.05): plan at 5 s and 50 s.
set -e
mkdir -p "${BENCH_DIR:-/tmp/outreach-bench}"
cd "$(dirname "$0")/../.."
export JEMPUT_ENVIRONMENT=development
export JEMPUT_DATABASE_URL=sqlite:///${BENCH_DIR:-/tmp/outreach-bench}/jemput.sqlite
export JEMPUT_DATA_DIR=${BENCH_DIR:-/tmp/outreach-bench}/var
J=.venv/bin/jemput
rm -f ${BENCH_DIR:-/tmp/outreach-bench}/jemput.sqlite*
$J demo load --scale 0.05 --seed 1 > ${BENCH_DIR:-/tmp/outreach-bench}/demo.log 2>&1
echo "Kuda-lumping-7" | $J users create operator --role operator --scope 33.06 --password-stdin
$J campaigns load-settings --as operator
$J targets create --rule belum-rekam --area 33.06.01 --name "Belum rekam Grabag" --owner operator
$J targets create --rule kunjungan-rumah --area 33.06.01 --name "Rentan Grabag" --owner operator
$J campaigns create --name "Grabag 2 minggu" --area 33.06.01 --starts 2026-12-07 --ends 2026-12-19 \
  --programme 1 --programme 2 --team 1 --team 2 --team 3 --list 1 --list 2
/usr/bin/time -f "wall %e s, max RSS %M KB" $J campaigns plan 1 --seconds 5
/usr/bin/time -f "wall %e s, max RSS %M KB" $J campaigns plan 1 --seconds 50
