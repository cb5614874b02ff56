#!/usr/bin/env bash
# The onboarding page in a real browser: headless Chromium driven by Selenium (Debian's chromium
# and chromium-driver, selenium from PyPI) opens a partner's link, uploads a sample workbook under
# a hostile file name, reads the verdict, checks the findings CSV link and that no script element
# reached the page, on a phone's width and a desktop's; on the desktop it sends the file to the
# coordinators, and the coordinator's `crocevia partner uploads` and `accept` then import it.
# Screenshots to look at in OUT_DIR.
#
#   scripts/check-onboarding-page.sh [OUT_DIR]   (apt-get install -y chromium chromium-driver; pip install selenium)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
command -v chromedriver >/dev/null || { echo "check-onboarding-page: chromedriver is missing (apt-get install -y chromium-driver)" >&2; exit 2; }
python3 -c "import selenium" 2>/dev/null || { echo "check-onboarding-page: selenium is missing (pip install selenium)" >&2; exit 2; }
work=$out port=18091
source scripts/serve-samples.sh
link=$("$crocevia" partner add portinerie-torino --registry "sqlite:$work/registry.sqlite" --base-url "$base" 2>/dev/null)
# The server reads the partners' links at its next look at the registry (every 5 s).
sleep 6
upload="$out/<img src=x onerror=alert(1)> servizi.xlsx"
cp Tests/Workbooks/libreoffice/portinerie.xlsx "$upload"
python3 - "$link" "$upload" "$out" <<'PY'
import sys, urllib.parse
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
link, upload, out = sys.argv[1:4]
options = webdriver.ChromeOptions()
for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
    options.add_argument(flag)
driver = webdriver.Chrome(options=options)
failures = []
try:
    for name, width, height in [("phone", 390, 1400), ("desktop", 1200, 1600)]:
        driver.set_window_size(width, height)
        driver.get(link)
        if "portinerie-torino" not in driver.page_source:
            failures.append(f"{name}: the form does not name the partner")
        driver.save_screenshot(f"{out}/onboarding-form-{name}.png")
        driver.find_element(By.NAME, "file").send_keys(upload)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, 60).until(lambda d: "Righe lette" in d.page_source or d.find_elements(By.CSS_SELECTOR, "p.error"))
        page = driver.page_source
        driver.save_screenshot(f"{out}/onboarding-report-{name}.png")
        if "Righe lette: 9" not in page:
            failures.append(f"{name}: the report does not say 9 rows read")
        if driver.find_elements(By.TAG_NAME, "script") or driver.find_elements(By.TAG_NAME, "img"):
            failures.append(f"{name}: a script or an image from the file's name reached the page")
        heading = driver.find_element(By.TAG_NAME, "h1").text
        if "<img src=x onerror=alert(1)> servizi.xlsx" not in heading:
            failures.append(f"{name}: the file's name is not shown as text: {heading!r}")
        csv = driver.find_element(By.CSS_SELECTOR, "a[download='findings.csv']").get_attribute("href")
        rows = urllib.parse.unquote(csv.split(",", 1)[1]).splitlines()
        if rows[0] != "cell,line,column,severity,rule,message,value":
            failures.append(f"{name}: the findings CSV starts {rows[0]!r}")
        print(f"{name}: {heading}; findings CSV of {len(rows) - 1} rows")
        if name == "desktop":
            driver.find_element(By.CSS_SELECTOR, "form[action*='/send/'] button").click()
            WebDriverWait(driver, 30).until(lambda d: "inviato" in d.page_source or d.find_elements(By.CSS_SELECTOR, "p.error"))
            driver.save_screenshot(f"{out}/onboarding-sent-{name}.png")
            if "Il file è stato inviato al coordinamento" not in driver.page_source:
                failures.append(f"{name}: sending the file did not say it was sent")
finally:
    driver.quit()
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
PY
# The coordinator's side: the file sent from the desktop is waiting, and accepting imports it.
registry="sqlite:$work/registry.sqlite"
waiting=$("$crocevia" partner uploads --registry "$registry")
echo "$waiting"
[ "$(printf '%s\n' "$waiting" | grep -c .)" = 1 ] || { echo "check-onboarding-page: expected one file waiting" >&2; exit 1; }
"$crocevia" partner accept "${waiting%%$'\t'*}" --registry "$registry" --quiet
[ -z "$("$crocevia" partner uploads --registry "$registry" 2>/dev/null)" ] || { echo "check-onboarding-page: the accepted file is still waiting" >&2; exit 1; }
echo "screenshots: $out/onboarding-*.png"
