#!/usr/bin/env bash
# What the reports need besides Python packages, installed when missing (root or sudo):
#  - pango and a font, which WeasyPrint draws the PDF factsheets with, and HarfBuzz's subset
#    library, which it embeds font subsets with (without it WeasyPrint warns on import, and
#    the tests turn warnings into errors);
#  - poppler-utils (pdftoppm, pdftotext), which the report tests render PDFs with;
#  - Debian's chromium, which prints the PDF reports (kansrijk.report.pdf; WeasyPrint when it
#    is missing, about 3x slower).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/apt.sh
. "$HERE/apt.sh"

if ! ldconfig -p | grep -q libpango-1.0 || ! ldconfig -p | grep -q libpangoft2-1.0; then
  echo "report-prereqs: installing pango (WeasyPrint draws the PDF reports with it)"
  apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
fi
if ! ldconfig -p | grep -q libharfbuzz-subset; then
  echo "report-prereqs: installing HarfBuzz's subset library (WeasyPrint embeds fonts with it)"
  apt_install libharfbuzz-subset0 >/dev/null
fi
if ! command -v pdftoppm >/dev/null; then
  echo "report-prereqs: installing poppler-utils (PDF to image and text, for the report tests)"
  apt_install poppler-utils >/dev/null
fi
if [ ! -x /usr/bin/chromium ] && [ -z "${KANSRIJK_CHROMIUM:-}" ]; then
  echo "report-prereqs: installing Debian's chromium (it prints the PDF reports)"
  apt_install chromium fonts-dejavu-core >/dev/null
fi
